/* Pigeon web client, bundled from js/ (go generate). Includes Preact (MIT) and htm (Apache-2.0): vendor/LICENSE-preact.txt, vendor/LICENSE-htm.txt. */
var T,cn,is,re,mt,He,ln,Be,un,gt,ht,cs,Me=Symbol.for("pv"),Ge={},ze=[],ls=/^m(i|n|o|s|text|space)$/,_t=Array.isArray,yt=ze.slice,fe=Object.assign;function de(e){e&&e.parentNode&&e.remove()}function pn(e,t,n){var o,s,a,r={},c=arguments.length;for(a in t)a=="key"?o=t[a]:a=="ref"&&typeof e!="function"?s=t[a]:r[a]=t[a];return c>2&&(r.children=c>3?yt.call(arguments,2):n),De(e,r,o,s,null)}function De(e,t,n,o,s){var a={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Me,__v:s||++cn,__i:-1,__u:0};return!s&&T.vnode&&T.vnode(a),a}function Te(e){return e.children}function ie(e,t){this.props=e,this.context=t,this.__g=0}function ce(e,t){if(t==null)return e.__&&ce(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:ce(e)}function us(e){var t,n=e.__v,o=n.__e,s=[],a=[],r=e.__P;r&&((t=fe({constructor:Me},n)).__v=n.__v+1,T.vnode&&T.vnode(t),$t(r,t,n,e.__n,r.namespaceURI,32&n.__u?[o]:null,s,o||ce(n),32&n.__u,a),t.__v=n.__v,t.__.__k[t.__i]=t,_n(s,t,a),n.__=n.__e=null,t.__e!=o&&dn(t))}function dn(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),dn(e)}function an(e){(8&e.__g||(e.__g|=8,re.push(e),He++))&&mt==T.debounceRendering||((mt=T.debounceRendering)||queueMicrotask)(fn)}function fn(){try{for(var e,t=1;re.length;)re.length>t&&re.sort(ln),e=re.shift(),t=re.length,8&e.__g&&us(e)}finally{(He=re.length)&&(mt||queueMicrotask)(fn)}}function mn(e,t,n,o,s,a,r,c,u,p,l){var m,h,d,y,_,w,x=o.__k||ze,C=t.length;for(u=ps(n,t,x,u,C),m=0;m<C;m++)(d=n.__k[m])!=null&&(h=~d.__i&&x[d.__i]||Ge,d.__i=m,w=$t(e,d,h,s,a,r,c,u,p,l),y=d.__e,(h.ref!=d.ref||8&h.__u)&&(h.ref&&vt(h.ref,null,d,h),d.ref&&l.push(d.ref,d.__c||y,d)),_=_||y,4&d.__u?(u=hn(d,u,e,!h.__v),h.__e&&(h.__e=null)):typeof d.type=="function"&&w!==void 0?u=w:y&&(u=y.nextSibling),d.__u&=-21);return n.__e=_,u}function ps(e,t,n,o,s){var a,r,c,u,p,l,m,h,d,y=n.length,_=y,w=0,x=0,C=e.__k=Array(s);for(a=0;a<s;a++)(r=t[a])!=null&&typeof r!="boolean"&&typeof r!="function"?(typeof r!="object"||r.constructor===String?r=C[a]=De(null,r):_t(r)?r=C[a]=De(Te,{children:r}):r.constructor===Me&&r.__b?r=C[a]=De(r.type,r.props,r.key,r.ref,r.__v):C[a]=r,u=a+w,r.__=e,r.__b=e.__b+1,c=null,~(p=r.__i=ds(r,n,u,_))&&(_--,(c=n[p])&&(c.__u|=2)),c&&c.__v?(r.__u|=16,p==u-1?w--:p==u+1?w++:p!=u&&(p>u?w--:w++,x=1)):(~p||(s>y?w--:s<y&&w++),typeof r.type!="function"&&(r.__u|=4))):C[a]=null;if(x){for(l=[],m=[],a=0;a<s;a++)if((r=C[a])&&16&r.__u){for(w=0,h=l.length;w<h;)l[d=w+h>>1]<r.__i?w=d+1:h=d;l[w]=r.__i,m[a]=w+1}for(w=l.length;a--;)m[a]&&(m[a]==w?w--:C[a].__u|=4)}if(_)for(a=0;a<y;a++)!(c=n[a])||2&c.__u||(c.__e==o&&(o=ce(c)),bt(c,c));return o}function hn(e,t,n,o){var s,a,r,c;if(typeof e.type=="function"){if(e.props.__P)return t;if(s=e.__k)for(a=0;a<s.length;a++)s[a]&&(s[a].__=e,t=hn(s[a],t,n,!1));return t}for(t&&!t.parentNode&&(t=ce(e))&&!t.parentNode&&(t=null),r=e.__e,c=t;c&&c.nodeType==8;)c=c.nextSibling;for(r!=c&&(!o&&n.moveBefore&&r.parentNode?n.moveBefore(r,t):n.insertBefore(r,t||null)),t=r;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function ds(e,t,n,o){var s,a=e.key,r=e.type,c=t[n],u=c&&!(2&c.__u);if(c===null&&a==null||u&&a==c.key&&r==c.type)return n;if(o>(u?1:0)){for(s=n-1;s>=0;s--)if((c=t[s])&&!(2&c.__u)&&a==c.key&&r==c.type)return s;for(s=n+1;s<t.length;s++)if((c=t[s])&&!(2&c.__u)&&a==c.key&&r==c.type)return s}return-1}function rn(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function je(e,t,n,o,s){var a,r;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||rn(e.style,t);if(n)for(t in n)o&&n[t]==o[t]||rn(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof o!="function"&&(o=null),(e.__e||(e.__e={}))[t]=n,n&&o||(r=ht[t]||(ht[t]=fs(t)),(e.__a||(e.__a={}))[t]=gt,a=t!=(t=t.replace(un,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,r,a):e.removeEventListener(t,r,a));else{if(s=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function fs(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[Be]==null)t[Be]=gt++;else if(t[Be]<this.__a[e])return;return n(T.event?T.event(t):t)}}}function $t(e,t,n,o,s,a,r,c,u,p){var l,m,h,d,y,_,w,x,C,N,I,se,Fe,$e,S,sn,ae,pe,J=t.type;if(t.constructor!==Me)return null;128&n.__u&&(u=32&n.__u,l=n.__c.__z)&&(t.__u|=u,m=a=[],l.nodeType==8?c=We(l,a):a.push(l),c=a[0]||c),(l=T.__b)&&l(t);e:if(typeof J=="function"){h=r.length;try{if(x=t.props,C=(l=J.prototype)&&l.render,N=(l=J.contextType)&&o[l.__c],I=l?N?N.props.value:l.__:o,(d=n.__c)?(t.__c=d,2&d.__g&&(d.__g|=1)):(C?t.__c=d=new J(x,I):(t.__c=d=new ie(x,I),d.constructor=J,d.render=hs),N&&N.sub(d),d.state||(d.state={}),d.__n=o,d.__g|=8,d.__h=[],d.__k=[]),C&&(d.__s||(d.__s=d.state),J.getDerivedStateFromProps&&(d.__s==d.state&&(d.__s=fe({},d.__s)),fe(d.__s,J.getDerivedStateFromProps(x,d.__s)))),y=d.props,_=d.state,d.__v=t,n.__c){if(x!==y&&C&&!J.getDerivedStateFromProps&&d.componentWillReceiveProps&&d.componentWillReceiveProps(x,I),t.__v==n.__v&&!(8&d.__g)||!(4&d.__g)&&d.shouldComponentUpdate&&d.shouldComponentUpdate(x,d.__s,I)===!1){t.__v!=n.__v&&(d.props=x,d.state=d.__s,d.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(G){G&&(G.__=t)}),ze.push.apply(d.__h,d.__k),d.__k=[],d.__h.length&&r.push(d),c=ce(n);break e}d.componentWillUpdate&&d.componentWillUpdate(x,d.__s,I),C&&d.componentDidUpdate&&d.__h.push(function(){d.componentDidUpdate(y,_,w)})}else C&&!J.getDerivedStateFromProps&&d.componentWillMount&&d.componentWillMount(),C&&d.componentDidMount&&d.__h.push(d.componentDidMount);d.context=I,d.props=x,d.__P=e,d.__g&=-5,se=T.__r,Fe=C?25:0;do d.__g&=-9,se&&se(t),l=d.render(d.props,d.state=d.__s,d.context);while(8&d.__g&&++Fe<25);C&&(ze.push.apply(d.__h,d.__k),d.__k=[]),d.state=d.__s,d.getChildContext&&(o=fe({},o,d.getChildContext())),C&&n.__c&&d.getSnapshotBeforeUpdate&&(w=d.getSnapshotBeforeUpdate(y,_)),$e=l&&l.type===Te&&l.key==null?l.props.children:l,x.__P&&(l=c,s=(e=x.__P).namespaceURI,u=a=null,n.props&&n.props.__P!=e&&(n.__k.some(function(G){G&&bt(G,G)}),n.__k=null),c=n.__k?ce(n,0):null),c=mn(e,_t($e)?$e:[$e],t,n,o,s,a,r,c,u,p),x.__P&&(t.__e=null,c=l),t.__u&=-161,m&&m.some(de),d.__h.length&&r.push(d),1&d.__g&&(d.__g&=-4)}catch(G){if(r.length=h,t.__v=null,u||a)if(G&&G.then){if(t.__u|=128|u,a){for(~(ae=a.indexOf(c||void 0))||(ae=a.length);(pe=a[ae-1])&&pe.nodeType==8;)ae--;for(;ae<a.length;ae++)if(pe=a[ae])if(a[ae]=null,S){if(pe==sn)break}else{if(pe.nodeType!=8)break;pe.data.startsWith("$s")&&(sn=We(S=pe))}}if(!S){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;S=c}(l=We(S=t.__c.__z||(t.__c.__z=S)))?(t.__e=S,c=l):t.__e=c,c=c&&c.nextSibling}else a&&a.some(de);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),G&&G.then||gn(t),T.__e(G,t,n)}}else c=t.__e=ms(n.__e,t,n,o,s,a,r,u,p,e);return(l=T.diffed)&&l(t),c}function We(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function gn(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(gn))}function _n(e,t,n){for(var o=0;o<n.length;)vt(n[o++],n[o++],n[o++]);T.__c&&T.__c(t,e),e.some(function(s){try{e=s.__h,s.__h=[],e.some(function(a){a.call(s)})}catch(a){T.__e(a,s.__v)}})}function ms(e,t,n,o,s,a,r,c,u,p){var l,m,h,d,y,_,w,x,C=n.props||Ge,N=t.props,I=t.type;if(I=="svg"?s="http://www.w3.org/2000/svg":I=="math"?s="http://www.w3.org/1998/Math/MathML":s||(s="http://www.w3.org/1999/xhtml"),a){for(l=0;l<a.length;l++)if((y=a[l])&&(I?y.localName==I:y.nodeType==3)){e=y,a[l]=null;break}}if(!e){if(x=p.ownerDocument||document,!I)return x.createTextNode(N);e=x.createElementNS(s,I,N.is?N:p),c&&(T.__m&&T.__m(t,a),c=!1),a=null}if(I){if(p=I=="template"&&e.content||e,a=I=="textarea"&&N.defaultValue!=null?null:a&&yt.call(p.childNodes),!c&&a)for(C={},l=0;l<e.attributes.length;l++)C[(y=e.attributes[l]).name]=y.value;for(l in C)y=C[l],l=="dangerouslySetInnerHTML"?h=y:l=="children"||l in N||l=="value"&&"defaultValue"in N||l=="checked"&&"defaultChecked"in N||je(e,l,null,y,s);for(l in N)y=N[l],l=="children"?d=y:l=="dangerouslySetInnerHTML"?m=y:l=="value"?_=y:l=="checked"?w=y:c&&typeof y!="function"||C[l]===y||je(e,l,y,C[l],s);m?(c||h&&(m.__html==h.__html||m.__html==e.innerHTML)||(e.innerHTML=m.__html),t.__k=[]):(h&&(e.textContent=""),(I=="foreignObject"||s=="http://www.w3.org/1998/Math/MathML"&&ls.test(I))&&(s="http://www.w3.org/1999/xhtml"),mn(p,_t(d)?d:[d],t,n,o,s,a,r,a?a[0]:n.__k&&ce(n,0),c,u),a&&a.some(de)),c&&I!="textarea"||(l="value",I=="progress"&&_==null?e.removeAttribute(l):_==null||_===e[l]&&(I!="progress"||_)||je(e,l,_,C[l],s),l="checked",w!=null&&w!=e[l]&&je(e,l,w,C[l],s))}else C===N||c&&e.data==N||(e.data=N);return e}function vt(e,t,n,o){try{typeof e=="function"?t?t.__x=e(t)||1:o&&(o=o.__c||o.__e)&&(t=o.__x)&&(o.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(s){T.__e(s,n)}}function bt(e,t,n){var o,s,a,r;if(T.unmount&&T.unmount(e),!(o=e.ref)||o.current&&o.current!=e.__e||vt(o,null,t,e),o=e.__c){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(c){T.__e(c,t)}o.__P=o.__n=null}if(o=e.__k)for(r=0;r<o.length;r++)o[r]&&bt(o[r],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(o=e.__c)&&(o=o.__z)&&(s=We(o,a=[]))&&(o==e.__e&&a.some(de),de(s),de(o)),n||de(e.__e),e.__e=e.__c=e.__=null}function hs(e,t,n){return this.constructor(e,n)}function wt(e,t){var n,o,s,a;T.__&&T.__(e,t),t.nodeType==9&&(t=t.documentElement),o=(n=e&&32&e.__u)?null:t.__k,t.__k=De(Te,{children:[e]}),s=[],a=[],$t(t,t.__k,o||Ge,Ge,t.namespaceURI,o?null:t.firstChild?yt.call(t.childNodes):null,s,o?o.__e:t.firstChild,n,a),_n(s,t.__k,a),t.__k.props.children=null}T={__e:function(e,t,n,o){for(var s,a,r;t=t.__;)if((s=t.__c)&&!(1&s.__g)){s.__g|=4;try{if((r=(a=s.constructor)&&a.getDerivedStateFromError)&&s.setState(a.getDerivedStateFromError(e)),s.componentDidCatch&&(s.componentDidCatch(e,o||{}),r=1),r&&8&s.__g)return void(s.__g|=2)}catch(c){e=c}}throw He=0,e}},cn=0,is=function(e){return e!=null&&e.constructor===Me},ie.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=fe({},this.state)),typeof e=="function"&&(e=e(fe({},n),this.props)),e&&(fe(n,e),this.__v&&(t&&this.__k.push(t),an(this)))},ie.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),an(this))},ie.prototype.render=Te,re=[],He=0,ln=function(e,t){return e.__v.__b-t.__v.__b},Be=Symbol(),un=/(PointerCapture)$|Capture$/i,gt=0,ht={},cs=0;var $n=function(e,t,n,o){var s;t[0]=0;for(var a=1;a<t.length;a++){var r=t[a++],c=t[a]?(t[0]|=r?1:2,n[t[a++]]):t[++a];r===3?o[0]=c:r===4?o[1]=Object.assign(o[1]||{},c):r===5?(o[1]=o[1]||{})[t[++a]]=c:r===6?o[1][t[++a]]+=c+"":r?(s=e.apply(c,$n(e,c,n,["",null])),o.push(s),c[0]?t[0]|=2:(t[a-2]=0,t[a]=s)):o.push(c)}return o},yn=new Map;function vn(e){var t=yn.get(this);return t||(t=new Map,yn.set(this,t)),(t=$n(this,t.get(e)||(t.set(e,t=(function(n){for(var o,s,a=1,r="",c="",u=[0],p=function(h){a===1&&(h||(r=r.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?u.push(0,h,r):a===3&&(h||r)?(u.push(3,h,r),a=2):a===2&&r==="..."&&h?u.push(4,h,0):a===2&&r&&!h?u.push(5,0,!0,r):a>=5&&((r||!h&&a===5)&&(u.push(a,0,r,s),a=6),h&&(u.push(a,h,0,s),a=6)),r=""},l=0;l<n.length;l++){l&&(a===1&&p(),p(l));for(var m=0;m<n[l].length;m++)o=n[l][m],a===1?o==="<"?(p(),u=[u],a=3):r+=o:a===4?r==="--"&&o===">"?(a=1,r=""):r=o+r[0]:c?o===c?c="":r+=o:o==='"'||o==="'"?c=o:o===">"?(p(),a=1):a&&(o==="="?(a=5,s=r,r=""):o==="/"&&(a<5||n[l][m+1]===">")?(p(),a===3&&(u=u[0]),a=u,(u=u[0]).push(2,0,a),a=0):o===" "||o==="	"||o===`
`||o==="\r"?(p(),a=2):r+=o),a===3&&r==="!--"&&(a=4,u=u[0])}return p(),u})(e)),t),arguments,[])).length>1?t:t[0]}var ve,A,kt,bn,xt=Object.is,Ie=0,Pn=[],Ct=[],q=T,wn=q.__b,kn=q.__r,xn=q.diffed,Cn=q.__c,Sn=q.unmount,Dn=q.__;function Ye(e,t){q.__h&&q.__h(A,e,Ie||t),Ie=0;var n=A.__H||(A.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function g(e){return Ie=1,Qe(In,e)}function Qe(e,t,n){var o=Ye(ve++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):In(void 0,t),function(a){var r=(o.__N||o.__)[0],c=o.t(r,a);xt(r,c)||(o.__N=[c,o.__[1]],o.__c.setState({}))}],o.__c=A,!A.__f)){A.__f=!0;var s=A.shouldComponentUpdate;A.shouldComponentUpdate=function(a,r,c){var u=this.__H;if(!u)return!0;var p=!1,l=this.props!=a;if(u.__.some(function(h){h.__N&&(p=!0,xt(h.__[0],h.__N[0])||(l=!0))}),s){var m=s.call(this,a,r,c);return p?m||l:m}return!p||l}}return o.__}function D(e,t){var n=Ye(ve++,3);!q.__s&&Mt(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,A.__H.__h.push(n))}function Re(e,t){var n=Ye(ve++,4);!q.__s&&Mt(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,A.__h.push(n))}function F(e){return Ie=5,Dt(function(){return{current:e}},[])}function Dt(e,t){var n=Ye(ve++,7);return Mt(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function Ve(e,t){return Ie=8,Dt(function(){return e},t)}function gs(){var e;do{for(;e=Ct.shift();)try{Pe(e)}catch(n){q.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=Pn.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Pe),t.__h.some(St),t.__h=[]}catch(n){t.__h=[],q.__e(n,e.__v)}}}while(Ct.length)}q.__b=function(e){A=null,wn&&wn(e)},q.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Dn&&Dn(e,t)},q.__r=function(e){kn&&kn(e),ve=0;var t=(A=e.__c).__H;t&&(kt==A?A.__h=[]:(t.__h.some(Pe),t.__h.some(St),ve=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),kt=A},q.diffed=function(e){xn&&xn(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&Tn(Pn.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),kt=A=null},q.__c=function(e,t){t.some(function(n){try{n.__h.some(Pe),n.__h=n.__h.filter(function(o){return!o.__||St(o)})}catch(o){n.__h=[function(){throw o}]}}),Cn&&Cn(e,t)},q.unmount=function(e){Sn&&Sn(e);var t,n,o=e.__c;o&&o.__H&&(o.__H.__.some(function(s){try{if(s.__P&&s.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}s.__P=n,Tn(Ct.push(s))}else Pe(s)}catch(a){t=a}}),o.__H=void 0,t&&q.__e(t,o.__v))};var Mn=typeof requestAnimationFrame=="function";function _s(e){var t,n=function(){clearTimeout(o),Mn&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);Mn&&(t=requestAnimationFrame(n))}function Tn(e){e!=1&&bn==q.requestAnimationFrame||((bn=q.requestAnimationFrame)||_s)(gs)}function Pe(e){var t=A,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),A=t}function St(e){var t=A;e.__c=e.__(),A=t}function Mt(e,t){return!e||e.length!=t.length||t.some(function(n,o){return!xt(n,e[o])})}function In(e,t){return typeof t=="function"?t(e):t}var i=vn.bind(pn);function Rn(e){class t extends ie{shouldComponentUpdate(o){let s=this.props;for(let a in s)if(s[a]!==o[a])return!0;for(let a in o)if(!(a in s))return!0;return!1}render(o){return e(o)}}return t.displayName=e.name,t}var X=class extends Error{constructor(t,n,o){super(o||"request failed ("+t+")"),this.status=t,this.code=n||""}},Tt=()=>{};function Ln(e){Tt=e}async function qn(e){let t=null;try{t=await e.json()}catch{t=null}return e.status===401&&Tt(),new X(e.status,t&&t.code,t&&t.error)}async function le(e,t,n){let o={method:e,headers:{},credentials:"same-origin"};n!==void 0&&(o.headers["Content-Type"]="application/json",o.body=JSON.stringify(n));let s;try{s=await fetch(t,o)}catch{throw new X(0,"network","the daemon does not answer: is `pigeon daemon` still running?")}if(!s.ok)throw await qn(s);return s.status===204||s.status===202?null:(s.headers.get("Content-Type")||"").includes("json")?s.json():s.text()}var M=e=>le("GET",e),P=(e,t)=>le("POST",e,t),U=(e,t)=>le("PUT",e,t),Pt=(e,t)=>le("PATCH",e,t),B=e=>le("DELETE",e),j=encodeURIComponent;function It(e,t,n){let o=e.slice(2),s=e.startsWith("g:")?"/v1/groups/"+o:"/v1/conversations/"+o,a="?limit="+n;return t&&(a+="&before="+t),s+"/messages"+a}function Nn({key:e,file:t,caption:n,onProgress:o}){let s=new URLSearchParams;s.set(e.startsWith("g:")?"group":"to",e.slice(2)),t.name&&s.set("name",t.name),t.type&&s.set("mime",t.type),n&&s.set("caption",n);let a=new XMLHttpRequest;return{promise:new Promise((c,u)=>{a.open("POST","/v1/media?"+s.toString()),a.responseType="json",a.upload.onprogress=p=>o&&o(p.loaded,p.lengthComputable?p.total:t.size),a.onload=()=>{let p=a.response;if(a.status===201&&p&&p.id){c(p.id);return}a.status===401&&Tt(),u(new X(a.status,p&&p.code,p&&p.error))},a.onerror=()=>u(new X(0,"network","the upload was cut off: is the daemon still running?")),a.onabort=()=>u(new X(0,"aborted","upload cancelled")),a.send(t)}),abort:()=>a.abort()}}var be=e=>"/v1/media/"+e+"/content",Rt=e=>"/v1/media/"+e+"/thumbnail",me=e=>"/v1/qr.svg?text="+j(e);async function An(e){let t=await fetch("/v1/qr/decode",{method:"POST",credentials:"same-origin",headers:{"Content-Type":e.type||"application/octet-stream"},body:e});if(!t.ok)throw await qn(t);return(await t.json()).text}function Lt(e,t){let n=document.createElement("a");n.href=be(e),n.download=t||"",n.rel="noopener",document.body.append(n),n.click(),n.remove()}var he=e=>"p:"+e,we=e=>"g:"+e,ke=e=>e.group?we(e.group):he(e.peer),ge=e=>(e.startsWith("g:")?"/group/":"/chat/")+e.slice(2),W=e=>e?e.slice(0,12)+"…":"",qt=new Intl.DateTimeFormat(void 0,{hour:"2-digit",minute:"2-digit"}),En=new Intl.DateTimeFormat(void 0,{weekday:"long"}),ys=new Intl.DateTimeFormat(void 0,{year:"numeric",month:"short",day:"numeric"}),$s=new Intl.DateTimeFormat(void 0,{month:"short",day:"numeric"}),Un=e=>e?Date.parse(e):0,On=e=>e?qt.format(new Date(e)):"";function Ke(e){return new Date(e.getFullYear(),e.getMonth(),e.getDate()).getTime()}function Nt(e){let t=new Date(e);return t.getFullYear()*1e4+t.getMonth()*100+t.getDate()}function Le(e,t=Date.now()){let n=new Date(e),o=Math.round((Ke(new Date(t))-Ke(n))/864e5);return o===0?"Today":o===1?"Yesterday":o>1&&o<7?En.format(n):ys.format(n)}function Je(e,t=Date.now()){if(!e)return"";let n=new Date(e),o=Math.round((Ke(new Date(t))-Ke(n))/864e5);return o===0?qt.format(n):o===1?"Yesterday":o>1&&o<7?En.format(n):$s.format(n)}function Xe(e,t=Date.now()){if(!e)return"";let n=Le(e,t),o=qt.format(new Date(e));return n==="Today"?"last seen today at "+o:n==="Yesterday"?"last seen yesterday at "+o:"last seen "+n+" at "+o}function Z(e){if(e==null)return"";if(e<1024)return e+" B";let t=["KB","MB","GB","TB"],n=e/1024,o=0;for(;n>=1024&&o<t.length-1;)n/=1024,o++;return(n<10?n.toFixed(1):Math.round(n))+" "+t[o]}var At=(e,t)=>t>0?Math.min(100,Math.floor(e*100/t)):0,Fn=e=>(e||"?").trim().slice(0,1).toUpperCase()||"?";function z(...e){return e.filter(Boolean).join(" ")}var vs=/pgi[a-z2-7]{160}/,bs=/pg[a-z2-7]{58}(?![a-z2-7])/;function Ze(e){let t=(e||"").trim(),n=t.toLowerCase(),o=n.match(vs);if(o)return{kind:"invite",link:o[0]};let s=n.match(bs);if(!s)return null;let a="",r=t.indexOf("?");if(r>=0)try{a=new URLSearchParams(t.slice(r+1)).get("name")||""}catch{a=""}return{kind:"account",account:s[0],name:a}}function jn(e,t){return"pigeon:"+e+(t?"?name="+encodeURIComponent(t):"")}var Bn=e=>(e||"").replace(/(\d{5})(?=\d)/g,"$1 ");var tt=50,f={boot:"loading",bootError:"",me:null,conn:"connecting",convs:[],contacts:new Map,groups:new Map,presence:new Map,typing:new Map,progress:new Map,uploads:[],chats:new Map,open:"",identity:new Map,storageFull:!1,autoDownload:null,devices:null,linkOffer:null,linkRequest:null,historySync:null,setup:null,setupDown:"",toasts:[],visible:document.visibilityState==="visible",profiles:new Map,requests:[],blocked:new Set,myProfile:null},qe=new Set,Et=!1;function b(){Et||(Et=!0,queueMicrotask(()=>{Et=!1;for(let e of qe)e()}))}function Qn(e){return qe.add(e),()=>qe.delete(e)}function ws(e,t){if(Object.is(e,t))return!0;if(!e||!t||typeof e!="object"||typeof t!="object")return!1;let n=Object.keys(e);if(n.length!==Object.keys(t).length)return!1;for(let o of n)if(!Object.is(e[o],t[o]))return!1;return!0}function $(e){let[,t]=Qe(s=>s+1,0),n=F(null),o=e(f);return n.current={sel:e,val:o},Re(()=>{let s=()=>{let a=n.current;ws(a.sel(f),a.val)||t()};return qe.add(s),s(),()=>qe.delete(s)},[]),o}var ks=0;function R(e,t="info"){let n=++ks;f.toasts=[...f.toasts,{id:n,text:e,kind:t}],b(),setTimeout(()=>jt(n),t==="error"?8e3:4e3)}function jt(e){f.toasts=f.toasts.filter(t=>t.id!==e),b()}function k(e){e instanceof X&&e.status===401||R(e&&e.message?e.message:String(e),"error")}function Y(e){if(!e)return"";if(f.me&&e===f.me.account)return"You";let t=f.contacts.get(e),n=f.profiles.get(e);return t&&t.name||n&&n.name||W(e)}function Q(e){if(e.startsWith("g:")){let o=f.groups.get(e.slice(2));return o&&o.name||"Group "+e.slice(2,10)}let t=f.contacts.get(e.slice(2));if(t&&t.name)return t.name;let n=f.convs.find(o=>o.key===e);return n&&n.name||W(e.slice(2))}async function V(){let e=await M("/v1/contacts");f.contacts=new Map(e.map(t=>[t.account,t]));for(let t of e)if(t.identity_changed_at&&!f.identity.has(t.account)&&(f.identity=new Map(f.identity).set(t.account,{account:t.account,at:t.identity_changed_at})),!t.identity_changed_at&&f.identity.has(t.account)){let n=new Map(f.identity);n.delete(t.account),f.identity=n}b()}async function nt(){let e=await M("/v1/groups");f.groups=new Map(e.map(t=>[t.id,t])),b()}async function K(e){try{let t=await M("/v1/groups/"+e);f.groups=new Map(f.groups).set(e,t)}catch(t){if(t.status===404){let n=new Map(f.groups);n.delete(e),f.groups=n}else throw t}b()}function xs(e){return{key:e.group?we(e.group):he(e.peer),peer:e.peer||"",group:e.group||"",name:e.name||e.profile_name||"",avatar:e.avatar_url||"",last:e.last,unread:e.unread}}var Vn=0,Kn=new Map;async function ue(){let e=Vn,n=(await M("/v1/conversations")).map(xs);for(let s of n)(Kn.get(s.key)||0)>e&&(s.unread=0);let o=new Set(n.map(s=>s.key));for(let s of f.groups.values()){let a=we(s.id);!o.has(a)&&s.status==="active"&&n.push({key:a,peer:"",group:s.id,name:s.name,last:null,unread:0})}f.convs=n,b();for(let s of n.slice(0,30))s.peer&&!f.presence.has(s.peer)&&Jn(s.peer)}var Wn=0;function te(){clearTimeout(Wn),Wn=setTimeout(()=>ue().catch(()=>{}),300)}var Ut=new Set;async function Jn(e){if(!Ut.has(e)){Ut.add(e);try{let t=await M("/v1/presence/"+e);f.presence=new Map(f.presence).set(e,t),b()}catch{}finally{Ut.delete(e)}}}async function Bt(){f.autoDownload=await M("/v1/media-settings/auto-download"),b()}async function ot(){await Promise.all([V(),nt(),Bt().catch(()=>{})]),await ue();let e=f.open;f.chats=new Map,f.boot="ready",b(),e&&await Wt(e)}function Cs(e){return{key:e,msgs:[],ids:new Set,hasOlder:!0,loading:!1,ready:!1}}function ee(e){f.chats.set(e.key,e),b()}async function Wt(e){f.open=e,b();let t=f.chats.get(e);if(!t||!t.ready){t=Cs(e),t.loading=!0,ee(t);try{let n=await M(It(e,"",tt)),o=f.chats.get(e),s=n.slice(),a=new Set(n.map(r=>r.id));for(let r of o.msgs)a.has(r.id)||(s.push(r),a.add(r.id));ee({...o,msgs:s,ids:a,hasOlder:n.length===tt,loading:!1,ready:!0})}catch(n){ee({...f.chats.get(e),loading:!1}),k(n)}}e.startsWith("p:")&&Jn(e.slice(2)),Ae(e)}function Xn(){f.open="",b()}async function Zn(e){let t=f.chats.get(e);if(!t||!t.ready||t.loading||!t.hasOlder)return 0;ee({...t,loading:!0});try{let n=t.msgs.length?t.msgs[0].id:"",o=await M(It(e,n,tt)),s=f.chats.get(e),a=o.filter(r=>!s.ids.has(r.id));for(let r of a)s.ids.add(r.id);return ee({...s,msgs:a.concat(s.msgs),hasOlder:o.length===tt,loading:!1}),a.length}catch(n){return ee({...f.chats.get(e),loading:!1}),k(n),0}}var Hn={pending:0,failed:0,sent:1,received:1,delivered:2,read:3};function Ne(e,{incoming:t=!1}={}){let n=ke(e),o=f.chats.get(n);if(o&&!o.ids.has(e.id))o.ids.add(e.id),ee({...o,msgs:o.msgs.concat([e])});else if(o){let u=o.msgs.findLast(p=>p.id===e.id);u&&(Hn[e.state]??0)>(Hn[u.state]??0)&&xe(e.id,p=>({...p,state:e.state,pending:void 0}))}let s=f.convs.findIndex(u=>u.key===n),a=s>=0?f.convs[s]:null;if(a&&a.last&&a.last.id===e.id)return;let r=(a?a.unread:0)+(t&&!(f.open===n&&f.visible)?1:0),c={key:n,peer:e.peer||"",group:e.group||"",name:a&&a.name||e.peer_name||e.group_name||"",last:e,unread:r};f.convs=[c,...f.convs.filter(u=>u.key!==n)],b(),!a&&e.group&&!f.groups.has(e.group)&&K(e.group).catch(()=>{})}function xe(e,t){let n=!1;for(let s of f.chats.values()){if(!s.ids.has(e))continue;let a=s.msgs.findLastIndex(c=>c.id===e);if(a<0)continue;let r=s.msgs.slice();r[a]=t(r[a]),ee({...s,msgs:r}),n=!0}let o=f.convs.findIndex(s=>s.last&&s.last.id===e);if(o>=0){let s=f.convs.slice();s[o]={...s[o],last:t(s[o].last)},f.convs=s,n=!0}return n&&b(),n}var Ot=new Set;async function eo(e){for(let t of f.chats.values())if(t.ids.has(e))return;if(!Ot.has(e)){Ot.add(e);try{Ne(await M("/v1/messages/"+e))}catch{}finally{Ot.delete(e)}}}var Ft=new Map,Gn=new Set;function Ae(e){if(!e||e!==f.open||!f.visible)return;let t=f.convs.find(r=>r.key===e),n=f.chats.get(e),o=n?n.msgs.filter(r=>r.direction==="in"&&r.state==="received").map(r=>r.id):[];if((!t||!t.unread)&&!o.length)return;if(Ft.has(e)){Gn.add(e);return}let s=new Set(o),a=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/read":"/v1/conversations/"+e.slice(2)+"/read";Ft.set(e,!0),P(a).then(()=>{Kn.set(e,++Vn),f.convs=f.convs.map(c=>c.key===e?{...c,unread:0}:c);let r=f.chats.get(e);r&&ee({...r,msgs:r.msgs.map(c=>s.has(c.id)&&c.state==="received"?{...c,state:"read"}:c)}),b()}).catch(k).finally(()=>{Ft.delete(e),Gn.delete(e)&&Ae(e)})}function to(e){f.visible=e,b(),e&&Ae(f.open)}async function no(e,t){let n=e.slice(2),o=e.startsWith("g:")?await P("/v1/groups/"+n+"/messages",{text:t}):await P("/v1/messages",{to:n,text:t}),s=await M("/v1/messages/"+o.id);return Ne(s),s}var Ss=0;async function oo(e,t,n){let o=++Ss,s=t.type.startsWith("image/")?URL.createObjectURL(t):"",a=Nn({key:e,file:t,caption:n,onProgress:r=>{f.uploads=f.uploads.map(c=>c.uid===o?{...c,loaded:r}:c),b()}});f.uploads=[...f.uploads,{uid:o,key:e,name:t.name,size:t.size,loaded:0,error:"",abort:a.abort,preview:s}],b();try{let r=await a.promise,c=await M("/v1/messages/"+r);Ne(c),f.uploads=f.uploads.filter(u=>u.uid!==o)}catch(r){r.code==="aborted"?f.uploads=f.uploads.filter(c=>c.uid!==o):f.uploads=f.uploads.map(c=>c.uid===o?{...c,error:r.message}:c),r.code!=="aborted"&&k(r)}finally{s&&setTimeout(()=>URL.revokeObjectURL(s),6e4),b()}}function so(e){f.uploads=f.uploads.filter(t=>t.uid!==e),b()}var et=0,zn=0;function st(e,t){let n=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/typing":"/v1/conversations/"+e.slice(2)+"/typing";clearTimeout(zn);let o=Date.now();if(t){if(zn=setTimeout(()=>st(e,!1),5e3),o-et<3e3)return;et=o}else{if(!et)return;et=0}P(n,{active:t}).catch(()=>{})}async function Ht(e){try{await P("/v1/media/"+e+"/fetch"),xe(e,t=>t.media?{...t,media:{...t.media,state:"fetching",error:""}}:t)}catch(t){k(t)}}function ao(e){f.progress=new Map(f.progress).set(e.id,{phase:e.phase,done:e.done||0,total:e.total||0,direction:e.direction}),b()}function ro(e){if(xe(e.id,t=>t.media?{...t,media:{...t.media,state:e.state,error:e.error||"",retry_until:e.retry_until||""}}:t),e.state!=="fetching"&&f.progress.has(e.id)){let t=new Map(f.progress);t.delete(e.id),f.progress=t,b()}}var Yn=0;function io(){let e=Date.now(),t=1/0,n=!1,o=new Map;for(let[s,a]of f.typing){let r=new Map;for(let[c,u]of a)u>e?(r.set(c,u),t=Math.min(t,u)):n=!0;r.size&&o.set(s,r)}n&&(f.typing=o,b()),clearTimeout(Yn),t!==1/0&&(Yn=setTimeout(io,t-e+50))}function Gt(e,t,n,o){let s=new Map(f.typing),a=new Map(s.get(e)||[]);n?a.set(t,Un(o)||Date.now()+6e3):a.delete(t),a.size?s.set(e,a):s.delete(e),f.typing=s,b(),io()}function co(e){let t=f.presence.get(e.account)||{};f.presence=new Map(f.presence).set(e.account,{...t,account:e.account,state:e.state,last_seen:e.last_seen||t.last_seen}),b()}async function zt(e,t){await U("/v1/contacts/"+j(e),t?{name:t}:{}),await V(),te()}async function lo(e){await P("/v1/contacts/"+j(e)+"/verify");let t=new Map(f.identity);t.delete(e),f.identity=t,await V()}async function uo(e,t,n){let o=await P("/v1/groups",{name:e,description:t,members:n});return f.groups=new Map(f.groups).set(o.id,o),await ue(),o}async function at(e){let t=await P("/v1/groups/join",{link:e});return await nt(),await ue(),t}var rt=new Set;function O(e,{replace:t=!1}={}){if(e!==location.pathname){t?history.replaceState(null,"",e):history.pushState(null,"",e);for(let n of rt)n()}}window.addEventListener("popstate",()=>{for(let e of rt)e()});function po(e=location.pathname){let t=e.split("/").filter(Boolean),[n,o,s]=t;return(n==="chat"||n==="group")&&o?{name:"chat",key:(n==="group"?"g:":"p:")+o,info:s==="info"}:n==="contacts"||n==="me"||n==="settings"||n==="requests"?{name:n}:{name:"home"}}function fo(){let[e,t]=g(()=>po());return D(()=>{let n=()=>t(po());return rt.add(n),()=>rt.delete(n)},[]),e}function L(e){if(e.defaultPrevented||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;let t=e.currentTarget;e.preventDefault(),O(t.getAttribute("href"))}var Yt=()=>"Notification"in window,it=()=>Yt()?Notification.permission:"unsupported";async function ct(){return Yt()?Notification.requestPermission():"unsupported"}function ho(e){if(!document.hidden||!Yt()||Notification.permission!=="granted")return;let t=ke(e),n=Q(t),o=e.group?Y(e.sender)+" in "+n:n,s=e.media?"📎 "+(e.text||e.media.name||"a file"):e.text;try{let a=new Notification(o,{body:s.slice(0,200),tag:t,icon:document.querySelector("link[rel=icon]").href});a.onclick=()=>{window.focus(),O(ge(t)),a.close()}}catch{}}var mo="";function go(){let e=0;for(let n of f.convs)e+=n.unread||0;let t=e>0?"("+e+") Pigeon":"Pigeon";t!==mo&&(mo=t,document.title=t)}var v=({name:e,label:t,class:n})=>t?i`<span class=${z("icon","i-"+e,n)} role="img" aria-label=${t}></span>`:i`<span class=${z("icon","i-"+e,n)} aria-hidden="true"></span>`;function H({name:e,online:t,small:n,group:o,src:s}){return i`<span class=${z("avatar",n&&"small")} aria-hidden="true">
    ${o?i`<${v} name="group" />`:s?i`<img class="avatar-img" src=${s} alt="" />`:Fn(e)}
    ${t&&i`<span class="dot"></span>`}
  </span>`}var Ds=0;function E({title:e,onClose:t,children:n,actions:o,class:s,label:a}){let r=F(null),c=F("dlg"+ ++Ds).current;return Re(()=>{let u=r.current,p=document.activeElement;return u.open||u.showModal(),()=>{u.open&&u.close(),p&&p.focus&&document.contains(p)&&p.focus()}},[]),i`<dialog
    ref=${r}
    class=${s}
    aria-labelledby=${a?void 0:c}
    aria-label=${a}
    onCancel=${u=>{u.preventDefault(),t()}}
  >
    <header class="bar">
      <h2 id=${c}>${e}</h2>
      <button type="button" class="icon-btn" aria-label="Close" onClick=${t}><${v} name="close" /></button>
    </header>
    <div class="dialog-body">${n}</div>
    ${o&&i`<div class="dialog-actions">${o}</div>`}
  </dialog>`}function _e(){let e=F(null);return D(()=>{e.current&&e.current.focus()},[]),e}async function Ee(e){try{return await navigator.clipboard.writeText(e),!0}catch{return!1}}async function Ce(){f.devices=await M("/v1/devices"),b()}var lt=e=>(e||0).toLocaleString("en-US");function Ms(e){let t=f.devices&&f.devices.devices.find(n=>n.id===e);return t&&t.name||"device "+e}function _o(e){f.linkRequest=e,b()}function yo(e){f.linkOffer=null,f.linkRequest&&f.linkRequest.peer_id===e.peer_id&&(f.linkRequest=null),b(),R("Linked "+(e.name||"a new device")+". It is getting your history now."),Ce().catch(()=>{})}function $o(){Ce().catch(()=>{})}function vo(e){f.historySync=e,b()}function Ts(e){return e.this?"":e.online?"online":e.last_seen?Xe(e.last_seen):"not seen since it was linked"}function Ps(e,t){let n=Math.max(0,Math.round((Date.parse(e)-t)/1e3));return Math.floor(n/60)+":"+String(n%60).padStart(2,"0")}function Is({offer:e,onAgain:t}){let[n,o]=g(Date.now());return D(()=>{let s=setInterval(()=>o(Date.now()),1e3);return()=>clearInterval(s)},[]),Date.parse(e.expires)<=n?i`<div class="link-offer expired">
      <p>The link code expired.</p>
      <button type="button" class="btn" onClick=${t}>Make a new code</button>
    </div>`:i`<div class="link-offer">
    <p>On the new device run <code>pigeon init --link CODE</code> with this code, or scan it. It works once; keep it to yourself.</p>
    <img class="qr" src=${me(e.qr_text)} alt="QR code of the link code" width="220" height="220" />
    <textarea class="mono link-code" readonly rows="4" aria-label="Link code" value=${e.code} onFocus=${s=>s.target.select()}></textarea>
    <p class="muted" data-expires=${e.expires}>Expires in ${Ps(e.expires,n)}</p>
    <button type="button" class="btn withdraw-link" onClick=${()=>Rs(e)}>Cancel</button>
  </div>`}async function Rs(e){try{await le("DELETE","/v1/devices/link",{code:e.code})}catch(t){k(t)}f.linkOffer=null,b()}function Ls({d:e,holdsKey:t}){let[n,o]=g(!1),[s,a]=g(e.name),r=async p=>{p.preventDefault();try{await U("/v1/devices/"+e.id,{name:s.trim()}),o(!1),await Ce()}catch(l){k(l)}},c=()=>{a(e.name),o(!0)},u=async()=>{if(confirm("Revoke "+(e.name||"device "+e.id)+"? It stops receiving your messages, and what it sends is no longer accepted. Link it again to use it."))try{await B("/v1/devices/"+e.id),R("Revoked "+(e.name||"device "+e.id)+"."),await Ce()}catch(p){k(p)}};return n?i`<li data-device=${e.id}>
      <form class="row grow" onSubmit=${r}>
        <input type="text" class="grow" aria-label="Device name" value=${s} maxlength="64" onInput=${p=>a(p.target.value)} />
        <button type="submit" class="btn" disabled=${!s.trim()}>Save</button>
        <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
      </form>
    </li>`:i`<li data-device=${e.id}>
    <span class="grow">
      <span class="device-name">${e.name||"Device "+e.id}</span>
      ${e.this&&i` <span class="role">this device</span>`}
      <div class="relay-stats">${[e.platform,Ts(e),"added "+Le(e.added_at).toLowerCase()].filter(Boolean).join(" · ")}</div>
    </span>
    <button type="button" class="btn" onClick=${c} aria-label=${"Rename "+(e.name||"device "+e.id)}>Rename</button>
    ${t&&!e.this&&i`<button type="button" class="btn danger" onClick=${u} aria-label=${"Revoke "+(e.name||"device "+e.id)}>Revoke</button>`}
  </li>`}function qs(){let e=$(n=>n.historySync);if($(n=>n.devices),!e)return null;let t=Ms(e.device);return e.error?i`<p class="history-sync error-text" role="status">Syncing history from ${t} stopped at ${lt(e.done)} (${e.error}); it goes on when the devices meet again.</p>`:(e.done||0)>=(e.total||0)?i`<p class="history-sync muted" role="status">History synced from ${t}: ${lt(e.total)} changes.</p>`:i`<p class="history-sync" role="status">Syncing history from ${t}: ${lt(e.done)} of ${lt(e.total)}</p>`}function bo(){let e=$(o=>o.devices),t=$(o=>o.linkOffer);D(()=>{Ce().catch(k);let o=setInterval(()=>Ce().catch(()=>{}),3e4);return()=>clearInterval(o)},[]);let n=async()=>{try{f.linkOffer=await P("/v1/devices/link"),b()}catch(o){k(o)}};return i`<div class="card devices">
    <h3>Devices</h3>
    <p class="muted">Your account on other devices: each gets your history and everything you send, receive and read.</p>
    <ul class="list">
      ${(e?e.devices:[]).map(o=>i`<${Ls} key=${o.id+":"+o.name} d=${o} holdsKey=${e.holds_account_key} />`)}
    </ul>
    <${qs} />
    ${e&&(e.holds_account_key?t?i`<${Is} offer=${t} onAgain=${n} />`:i`<button type="button" class="btn link-device" onClick=${n}>Link a device</button>`:i`<p class="muted">This device does not hold the account key: link and revoke devices on the one that does.</p>`)}
  </div>`}function wo(){let e=$(n=>n.linkRequest);if(!e)return null;let t=async n=>{f.linkRequest=null,b();try{await P("/v1/devices/link-requests/"+e.id,{accept:n}),n||R("The device was not linked.")}catch(o){k(o)}};return i`<${E}
    title="Link a new device?"
    class="link-request"
    onClose=${()=>t(!1)}
    actions=${i`<button type="button" class="btn" onClick=${()=>t(!1)}>Cancel</button>
      <button type="button" class="btn primary confirm-link" onClick=${()=>t(!0)}>They match, link it</button>`}
  >
    <p><strong class="device-name">${e.name}</strong>${e.platform?" ("+e.platform+")":""} asks to join your account.</p>
    <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
    <p>Check that the new device shows the same six digits. If it does not, cancel: someone else has your link code.</p>
  <//>`}var Ns=49152;async function ne(){let[e,t,n,o]=await Promise.all([M("/v1/profiles").catch(()=>[]),M("/v1/requests").catch(()=>[]),M("/v1/blocked").catch(()=>[]),M("/v1/profile").catch(()=>null)]);f.profiles=new Map(e.map(s=>[s.account,s])),f.requests=t,f.blocked=new Set(n.map(s=>s.account)),f.myProfile=o,b()}function xo(e){switch(e.type){case"profile_changed":case"blocked_changed":case"request_received":case"request_changed":return ne().catch(()=>{}),V().then(te).catch(()=>{}),!0}return!1}function ut(e){let t=f.profiles&&f.profiles.get(e);return t&&t.has_avatar?t.avatar_url:""}async function As(e){let t=await createImageBitmap(e),n=Math.min(1,256/Math.max(t.width,t.height)),o=document.createElement("canvas");o.width=Math.max(1,Math.round(t.width*n)),o.height=Math.max(1,Math.round(t.height*n)),o.getContext("2d").drawImage(t,0,0,o.width,o.height);for(let s of[.9,.8,.6,.4]){let a=await new Promise(r=>o.toBlob(r,"image/jpeg",s));if(a&&a.size<=Ns)return a}throw new Error("the picture does not fit 48 KiB even small: try another one")}async function Es(e){let t=await fetch("/v1/profile/avatar",{method:"PUT",body:e,credentials:"same-origin",headers:{"Content-Type":e.type}});if(!t.ok){let n=await t.json().catch(()=>({}));throw new Error(n.message||"the daemon refused the picture")}}function Co(){let e=$(r=>r.myProfile),[t,n]=g(e?e.name:"");D(()=>n(e?e.name:""),[e&&e.name]);let o=async r=>{r.preventDefault();try{await U("/v1/profile",{name:t}),await ne(),R("Profile saved: your contacts and groups get it.")}catch(c){k(c)}},s=async r=>{let c=r.target.files&&r.target.files[0];if(r.target.value="",!!c)try{await Es(await As(c)),await ne()}catch(u){k(u)}},a=async()=>{try{await B("/v1/profile/avatar"),await ne()}catch(r){k(r)}};return i`<div class="card profile-card">
    <h3>Profile</h3>
    <p class="muted">Your name and picture, end-to-end encrypted to your contacts and groups.</p>
    <div class="row">
      <${H} name=${t||"?"} src=${e&&e.has_avatar?e.avatar_url:""} />
      <label class="btn">Choose picture<input type="file" accept="image/*" class="sr-only" onChange=${s} aria-label="Choose a profile picture" /></label>
      ${e&&e.has_avatar&&i`<button type="button" class="btn" onClick=${a}>Remove picture</button>`}
    </div>
    <form class="row" onSubmit=${o}>
      <label class="field grow"><span>Display name</span><input type="text" maxlength="64" value=${t} onInput=${r=>n(r.target.value)} id="profile-name" /></label>
      <button class="btn primary" type="submit">Save</button>
    </form>
  </div>`}function So(){let e=$(t=>t.requests||[]);return e.length?i`<a href="/requests" class="requests-entry" onClick=${L} id="requests-entry">
    <${v} name="person-add" /> <span class="grow">Message requests</span><span class="badge">${e.length}</span>
  </a>`:null}function ko(e){return e.profile_name||e.name||W(e.peer)}function Do(){let e=$(n=>n.requests||[]),t=async(n,o)=>{try{if(o==="accept"&&await P("/v1/requests/"+j(n.peer)+"/accept",{name:""}),o==="delete"){if(!confirm("Delete this request and its messages?"))return;await B("/v1/requests/"+j(n.peer))}o==="block"&&await P("/v1/requests/"+j(n.peer)+"/block"),await ne(),await V(),te(),o==="accept"&&O("/chat/"+n.peer)}catch(s){k(s)}};return i`<section class="pane page" aria-labelledby="requests-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${v} name="back" /></a>
      <h2 id="requests-title">Message requests</h2>
    </header>
    <div class="page-body">
      <p class="muted">People who are not in your contacts wrote to you. They do not see that you read their messages until you accept.</p>
      <ul class="requests">
        ${e.map(n=>i`<li key=${n.peer} class="card request" data-account=${n.peer}>
            <div class="row">
              <${H} name=${ko(n)} src=${n.avatar_url||""} />
              <span class="grow"><strong>${ko(n)}</strong><br /><span class="muted">${n.last?n.last.text:""}</span></span>
              <span class="time">${n.last?Je(n.last.sent_at):""}</span>
            </div>
            <div class="row">
              <button type="button" class="btn primary" onClick=${()=>t(n,"accept")}>Accept</button>
              <button type="button" class="btn" onClick=${()=>t(n,"delete")}>Delete</button>
              <button type="button" class="btn danger" onClick=${()=>t(n,"block")}>Block</button>
            </div>
          </li>`)}
        ${!e.length&&i`<li class="hint">No message requests.</li>`}
      </ul>
    </div>
  </section>`}function Mo({account:e}){let t=$(o=>!!(o.blocked&&o.blocked.has(e))),n=async()=>{try{if(t)await B("/v1/blocked/"+j(e));else{if(!confirm("Block this account? Its messages will be dropped on all your devices."))return;await U("/v1/blocked/"+j(e))}await ne()}catch(o){k(o)}};return i`<div class="section">
    <button type="button" class=${"btn"+(t?"":" danger")} onClick=${n} id="block-toggle">
      ${t?"Unblock":"Block"}
    </button>
    ${t&&i`<p class="muted">Blocked: messages from this account are dropped.</p>`}
  </div>`}var oe=null,Vt="",Ue=0,Qt=0,Kt=!1,Oe=250,To=0,Po=Promise.resolve();function pt(){if(clearTimeout(To),oe)return;Kt=!!Vt;let e=Kt?"?epoch="+encodeURIComponent(Vt)+"&after="+Ue:"",t=location.protocol==="https:"?"wss:":"ws:",n=new WebSocket(t+"//"+location.host+"/v1/events"+e);oe=n,n.onmessage=o=>{let s;try{s=JSON.parse(o.data)}catch{return}Po=Po.then(()=>Us(s)).catch(a=>console.error("pigeon: event",s.type,a))},n.onclose=()=>{oe===n&&(oe=null,f.conn="down",b(),To=setTimeout(pt,Oe),Oe=Math.min(Oe*2,5e3))}}function Jt(){if(!(oe&&oe.readyState===WebSocket.OPEN)){if(oe){let e=oe;oe=null,e.onclose=null,e.close()}Oe=250,pt()}}async function Us(e){if(e.type==="hello"){Vt=e.epoch||"",Qt=e.seq||0,f.conn="live",Oe=250,b(),Kt||(Ue=Qt,await Promise.all([ot(),ne().catch(()=>{})]));return}if(e.type==="reset"){Ue=Qt,await Promise.all([ot(),ne().catch(()=>{})]);return}if(typeof e.seq=="number"){if(e.seq<=Ue)return;Ue=e.seq}Os(e)}function Os(e){if(!xo(e))switch(e.type){case"message_received":{let t=e.message;if(!t)return;let n=t.direction==="in";Ne(t,{incoming:n}),n&&(ho(t),Ae(ke(t)),te());return}case"message_state_changed":{xe(e.id,n=>({...n,state:e.state,pending:e.state==="pending"?n.pending:void 0}))||eo(e.id);return}case"message_pending":{let t={code:e.code,reason:e.reason,attempts:e.attempts,next_attempt:e.next_attempt};for(let n of e.ids||[])xe(n,o=>o.state==="pending"?{...o,pending:t}:o);return}case"typing":Gt(he(e.from),e.from,e.active,e.until);return;case"group_typing":Gt(we(e.group),e.from,e.active,e.until);return;case"presence":co(e);return;case"group_changed":K(e.group).then(()=>e.change==="created"||e.change==="member_added"||e.change==="member_joined"?ue():null).catch(()=>{});return;case"group_receipt":f.receiptTick=(f.receiptTick||0)+1,b();return;case"media_progress":ao(e);return;case"media_state":ro(e);return;case"contact_changed":V().then(te).catch(()=>{});return;case"identity_changed":f.identity=new Map(f.identity).set(e.account,e),b(),V().catch(()=>{});return;case"storage":f.storageFull=e.state==="full",b(),f.storageFull&&R("The disk is nearly full: Pigeon cannot store new messages or files until you free some space.","error");return;case"link_request":_o(e);return;case"device_linked":yo(e);return;case"device_revoked":$o(e);return;case"history_sync":vo(e);return;case"dropped":ot().catch(()=>{}),nt().catch(()=>{});return}}function Fs(e){let t=e.last;if(!t)return e.group?"No messages yet":"";let n="";return t.direction==="out"?n="You: ":t.group&&(n=(t.sender_name||Y(t.sender))+": "),t.media?n+"📎 "+(t.text?t.text:t.media.name||"file"):n+t.text}function js({c:e,current:t}){let n=e.name||Q(e.key),o=$(c=>e.peer?c.presence.get(e.peer):null),s=$(c=>c.typing.has(e.key)),a=o&&o.state==="online",r=n+(e.unread?", "+e.unread+" unread":"")+(a?", online":"");return i`<li>
    <a
      href=${ge(e.key)}
      class=${z("chat-item",e.unread>0&&"unread")}
      aria-current=${t?"page":void 0}
      aria-label=${r}
      onClick=${L}
      data-key=${e.key}
    >
      <${H} name=${n} group=${!!e.group} online=${a} src=${e.avatar} />
      <span class="grow">
        <span class="top">
          <span class="name">${n}</span>
          <span class="time">${e.last?Je(e.last.sent_at):""}</span>
        </span>
        <span class="bottom">
          <span class="preview">${s?i`<em>typing…</em>`:Fs(e)}</span>
          ${e.unread>0&&i`<span class="badge" aria-hidden="true">${e.unread}</span>`}
        </span>
      </span>
    </a>
  </li>`}function Bs(){let[e,t]=g(it()),[n,o]=g(localStorage.getItem("pigeon.notify-banner")==="no");return e!=="default"||n?null:i`<div class="banner">
    <span class="grow">Get notified of new messages while this tab is in the background.</span>
    <button type="button" class="btn" onClick=${async()=>t(await ct())}>Turn on</button>
    <button
      type="button"
      class="icon-btn"
      aria-label="Not now"
      onClick=${()=>{localStorage.setItem("pigeon.notify-banner","no"),o(!0)}}
    ><${v} name="close" /></button>
  </div>`}function Io({current:e,onNewGroup:t,onAddContact:n,onJoin:o}){let s=$(m=>m.convs),a=$(m=>m.conn),r=$(m=>m.me),[c,u]=g(""),p=c.trim().toLowerCase(),l=p?s.filter(m=>(m.name||Q(m.key)).toLowerCase().includes(p)||(m.peer||m.group).startsWith(p)):s;return i`<nav class="sidebar" aria-label="Chats">
    <header class="bar">
      <a href="/me" class="icon-btn" onClick=${L} aria-label="My account and QR code"><${H} small name=${r?"Me":"?"} /></a>
      <h1 class="brand">Pigeon</h1>
      <button type="button" class="icon-btn" aria-label="New group" onClick=${t}><${v} name="group" /></button>
      <button type="button" class="icon-btn" aria-label="Add contact" onClick=${n}><${v} name="person-add" /></button>
      <button type="button" class="icon-btn" aria-label="Join a group by link" onClick=${o}><${v} name="link" /></button>
      <a href="/contacts" class="icon-btn" onClick=${L} aria-label="Contacts"><${v} name="people" /></a>
      <a href="/settings" class="icon-btn" onClick=${L} aria-label="Settings"><${v} name="gear" /></a>
    </header>
    ${a==="down"&&i`<div class="conn" role="status">Connection to the daemon lost; reconnecting…</div>`}
    <${Bs} />
    <div class="filter" role="search">
      <label>
        <${v} name="search" />
        <span class="sr-only">Filter chats</span>
        <input
          type="search"
          placeholder="Filter chats (Ctrl+K: go to any chat)"
          value=${c}
          onInput=${m=>u(m.target.value)}
          onKeyDown=${m=>{m.key==="Enter"&&p&&l.length&&(m.preventDefault(),O(ge(l[0].key)))}}
          id="chat-filter"
        />
      </label>
    </div>
    <${So} />
    <ul class="chats" aria-label="Chat list">
      ${l.map(m=>i`<${js} key=${m.key} c=${m} current=${m.key===e} />`)}
      ${!l.length&&i`<li class="hint">${p?"No chat matches “"+c+"”.":i`No chats yet. <a href="/contacts" onClick=${L}>Start one</a> with a contact, or add one by their account ID.`}</li>`}
    </ul>
  </nav>`}var Lo={pending:"pending",sent:"sent",delivered:"delivered",read:"read",failed:"not sent"},Ws={pending:"clock",sent:"check",delivered:"check2",read:"check2",failed:"alert"};function Xt({state:e}){let t=Ws[e];return t?i`<span class=${z("icon","i-"+t,"tick","tick-"+e)} role="img" aria-label=${Lo[e]} data-state=${e}></span>`:null}function qo(e,t){if(!e||!t)return{width:240,height:180};let n=Math.min(1,300/e,320/t);return{width:Math.max(40,Math.round(e*n)),height:Math.max(40,Math.round(t*n))}}function Ro(e,t){switch(e.state){case"fetching":return t&&t.total?"downloading "+At(t.done,t.total)+"%":"downloading…";case"retrying":return"waiting for the sender to come online…";case"failed":return"download failed"+(e.error?": "+e.error:"");case"removed":return"removed from this device";case"remote":return"not downloaded"}return""}function No({prog:e,label:t}){return!e||!e.total?i`<progress aria-label=${t}></progress>`:i`<progress aria-label=${t} max=${e.total} value=${e.done}></progress>`}function Ao({media:e,prog:t}){let n=e.state==="local",o=e.state==="fetching"||e.state==="retrying",s=t&&t.direction==="download"?t:null;return i`<div class="file-card" data-media-state=${e.state}>
    <${v} name="doc" class="big" />
    <div class="grow">
      <div class="file-name" title=${e.name}>${e.name||"file"}</div>
      <div class="file-meta">${Z(e.size)}${e.mime?" · "+e.mime:""}${Ro(e,s)&&" · "+Ro(e,s)}</div>
      ${o&&i`<${No} prog=${s} label=${"Downloading "+(e.name||"file")} />`}
    </div>
    ${n?i`<button type="button" class="icon-btn" aria-label=${"Save "+(e.name||"file")} onClick=${()=>Lt(e.id,e.name)}>
          <${v} name="download" />
        </button>`:!o&&i`<button type="button" class="icon-btn" aria-label=${"Download "+(e.name||"file")+", "+Z(e.size)} onClick=${()=>Ht(e.id)}>
          <${v} name="download" />
        </button>`}
  </div>`}function Hs({media:e,prog:t,onOpen:n}){let o=e.state==="local",s=qo(e.width,e.height),a=o?be(e.id):e.thumbnail?Rt(e.id):"";if(!a)return i`<${Ao} media=${e} prog=${t} />`;let r=e.state==="fetching"||e.state==="retrying";return i`<div>
    <button type="button" class=${z("media-img",!o&&"remote")} onClick=${n} aria-label=${"Open picture "+(e.name||"")}>
      <img src=${a} alt=${e.caption||e.name||"picture"} width=${s.width} height=${s.height} loading="lazy" decoding="async" />
    </button>
    ${!o&&i`<div class="row file-meta">
      ${r?i`<${No} prog=${t} label=${"Downloading "+(e.name||"picture")} />`:i`<button type="button" class="btn" onClick=${()=>Ht(e.id)}><${v} name="download" /> ${Z(e.size)}</button>`}
    </div>`}
  </div>`}function Eo({media:e,onClose:t}){return i`<${E} title=${e.name||"Picture"} onClose=${t} class="viewer">
    <div class="viewer-body">
      <img src=${be(e.id)} alt=${e.caption||e.name||"picture"} />
    </div>
    <div class="row">
      <button type="button" class="btn" onClick=${()=>Lt(e.id,e.name)}><${v} name="download" /> Save</button>
    </div>
  </${E}>`}function Gs({media:e,prog:t,onOpen:n}){let o=e.mime||"",s=e.state==="local";return o.startsWith("image/")?i`<${Hs} media=${e} prog=${t} onOpen=${n} />`:o.startsWith("video/")?i`<video
      class="media-video"
      controls
      preload=${s?"metadata":"none"}
      poster=${e.thumbnail?Rt(e.id):void 0}
      src=${be(e.id)}
      aria-label=${"Video "+(e.name||"")}
      width=${qo(e.width,e.height).width}
    ></video>`:o.startsWith("audio/")?i`<audio class="media-audio" controls preload=${s?"metadata":"none"} src=${be(e.id)} aria-label=${"Audio "+(e.name||"")}></audio>`:i`<${Ao} media=${e} prog=${t} />`}function Uo({m:e,onClose:t}){let n=$(l=>l.receiptTick||0),o=$(l=>l.groups.get(e.group)),[s,a]=g(null),[r,c]=g("");D(()=>{M("/v1/groups/"+e.group+"/messages/"+e.id+"/receipts").then(l=>a(l.receipts||{})).catch(l=>c(l.message))},[n,e.id,e.group]);let u=o?o.members.filter(l=>!f.me||l.account!==f.me.account):[],p=new Set([...u.map(l=>l.account),...Object.keys(s||{})]);return i`<${E} title="Message info" onClose=${t}>
    <p class="text">${e.media?"📎 "+(e.media.name||"file")+(e.text?" — "+e.text:""):e.text}</p>
    ${r&&i`<p class="error-text">${r}</p>`}
    ${!s&&!r&&i`<p class="muted">Loading…</p>`}
    ${s&&i`<ul class="list receipts">
      ${[...p].map(l=>{let m=s[l]||"";return i`<li key=${l} data-account=${l} data-receipt=${m||"none"}>
          <span class="grow">${Y(l)}</span>
          <span class="muted">${m==="read"?"Read":m==="delivered"?"Delivered":"Not yet delivered"}</span>
          <${Xt} state=${m==="read"?"read":m==="delivered"?"delivered":"sent"} />
        </li>`})}
    </ul>`}
  </${E}>`}var Oo=Rn(function({m:t,sender:n,prog:o,onOpen:s,onInfo:a}){let r=t.direction==="out";return i`<div class=${z("msg",r?"out":"in")} data-id=${t.id} data-state=${t.state}>
    <div class="bubble">
      ${n?i`<span class="sender">${n}</span>`:i`<span class="sr-only">${r?"You:":""}</span>`}
      ${t.media&&i`<${Gs} media=${t.media} prog=${o} onOpen=${()=>s(t.media)} />`}
      ${t.text&&i`<span class="text">${t.text}</span>`}
      <span class="meta">
        <time datetime=${t.sent_at}>${On(t.sent_at)}</time>
        ${r&&(t.group?i`<button type="button" aria-label=${"Message info: "+(Lo[t.state]||t.state)} onClick=${()=>a(t)}><${Xt} state=${t.state} /></button>`:i`<${Xt} state=${t.state} />`)}
      </span>
      ${r&&t.state==="pending"&&t.pending&&t.pending.reason&&i`<span class="why">${t.pending.reason}</span>`}
    </div>
  </div>`});function Fo({u:e,onCancel:t}){return i`<div class="msg out upload" data-upload=${e.name}>
    <div class="bubble">
      ${e.preview&&i`<img src=${e.preview} alt="" />`}
      <div class="file-name">${e.name}</div>
      <div class="file-meta">${e.error?i`<span class="error-text">${e.error}</span>`:"sending "+At(e.loaded,e.size)+"% of "+Z(e.size)}</div>
      ${!e.error&&i`<progress aria-label=${"Sending "+e.name} max=${e.size||1} value=${e.loaded}></progress>`}
      <div class="row"><button type="button" class="btn" onClick=${t}>${e.error?"Dismiss":"Cancel"}</button></div>
    </div>
  </div>`}var zs=0;function jo({chatKey:e,dropped:t}){let[n,o]=g(""),[s,a]=g([]),[r,c]=g(!1),u=F(null),p=F(null),l=_=>{let w=[..._].map(x=>({id:++zs,file:x,preview:x.type.startsWith("image/")?URL.createObjectURL(x):""}));w.length&&a(x=>x.concat(w)),u.current&&u.current.focus()},m=_=>a(w=>w.filter(x=>(x.id===_&&x.preview&&URL.revokeObjectURL(x.preview),x.id!==_)));D(()=>{t&&t.length&&l(t)},[t]),D(()=>{u.current&&u.current.focus({preventScroll:!0})},[]),D(()=>{let _=u.current;_&&(_.style.height="auto",_.style.height=_.scrollHeight+2+"px")},[n]);let h=async()=>{let _=n.trim();if(r||!_&&!s.length)return;let w=s;if(o(""),a([]),st(e,!1),w.length){w.forEach((x,C)=>{oo(e,x.file,C===0?_:"").finally(()=>x.preview&&URL.revokeObjectURL(x.preview))});return}c(!0);try{await no(e,_)}catch(x){o(_),k(x)}finally{c(!1),u.current&&u.current.focus()}},d=_=>{_.key==="Enter"&&!_.shiftKey&&!_.isComposing&&(_.preventDefault(),h())},y=_=>{let w=_.clipboardData&&_.clipboardData.files;w&&w.length&&(_.preventDefault(),l(w))};return i`<div class="composer-wrap">
    ${s.length>0&&i`<ul class="staged" aria-label="Files to send">
      ${s.map(_=>i`<li class="staged-item" key=${_.id}>
          ${_.preview?i`<img src=${_.preview} alt="" />`:i`<${v} name="doc" />`}
          <span class="grow">${_.file.name} <span class="muted">${Z(_.file.size)}</span></span>
          <button type="button" class="icon-btn" aria-label=${"Remove "+_.file.name} onClick=${()=>m(_.id)}><${v} name="close" /></button>
        </li>`)}
    </ul>`}
    <form
      class="composer"
      onSubmit=${_=>{_.preventDefault(),h()}}
    >
      <button type="button" class="icon-btn" aria-label="Attach files" onClick=${()=>p.current.click()}><${v} name="attach" /></button>
      <input ref=${p} type="file" multiple hidden aria-hidden="true" tabindex="-1" onChange=${_=>(l(_.target.files),_.target.value="")} />
      <label class="sr-only" for=${"composer-"+e}>${s.length?"Caption":"Message"}</label>
      <textarea
        id=${"composer-"+e}
        ref=${u}
        rows="1"
        placeholder=${s.length?"Add a caption":"Type a message"}
        value=${n}
        onInput=${_=>{o(_.target.value),_.target.value&&st(e,!0)}}
        onKeyDown=${d}
        onPaste=${y}
        aria-describedby="composer-help"
      ></textarea>
      <span id="composer-help" class="sr-only">Enter sends, Shift+Enter starts a new line. Paste or drop files to attach them.</span>
      <button type="submit" class="icon-btn send" aria-label="Send" disabled=${r}><${v} name="send" /></button>
    </form>
  </div>`}var dt=200,Se=50,Bo=600,Ys=(e,t)=>e===t||e.length===t.length&&e.every((n,o)=>n===t[o]);function Qs({chatKey:e}){let t=$(n=>{let o=n.chats.get(e);return o?{loading:o.loading,hasOlder:o.hasOlder,ready:o.ready,empty:!o.msgs.length}:{empty:!0}});return t.loading?i`<p class="older" role="status">Loading older messages…</p>`:t.hasOlder?i`<p class="older"> </p>`:i`<p class="older">${t.ready?t.empty?"No messages yet":"The beginning of this chat":""}</p>`}var Zt=class extends ie{constructor(t){super(t),this.state={msgs:null,start:0,end:0,stick:!0,wantUp:!1},this.scroller=null,this.raf=0,this.olderFrom=0,this.openMedia=n=>t.onOpenMedia(n),this.openInfo=n=>t.onInfo(n),this.onScroll=()=>{this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))},this.setRef=n=>this.scroller=n,this.jump=()=>{let n=this.props.chat.msgs.length;this.setState({start:Math.max(0,n-Se),end:n,stick:!0})}}static getDerivedStateFromProps(t,n){let o=t.chat.msgs;if(o===n.msgs)return null;let s=o.length;if(!n.msgs||!n.msgs.length||!s)return{msgs:o,start:Math.max(0,s-Se),end:s,stick:!0,wantUp:!1};let a=n.msgs[0].id,r=0;if(o[0].id!==a&&(r=o.findIndex(l=>l.id===a),r<0))return{msgs:o,start:Math.max(0,s-Se),end:s,stick:!0,wantUp:!1};let c=n.start+r,u=n.end+r,p=n.end===n.msgs.length;return n.wantUp&&r>0?(c=Math.max(0,c-Se),u=Math.min(u,c+dt)):p&&n.stick&&(u=s,c=Math.max(c,u-dt)),{msgs:o,start:c,end:u,wantUp:n.wantUp&&r===0}}shouldComponentUpdate(t,n){let o=this.props,s=this.state;return t.chat.msgs!==o.chat.msgs||t.group!==o.group||t.progress!==o.progress||!Ys(t.uploads,o.uploads)||n.msgs!==s.msgs||n.start!==s.start||n.end!==s.end||n.stick!==s.stick}getSnapshotBeforeUpdate(){let t=this.scroller;if(!t)return null;if(this.state.stick)return{stick:!0};let n=t.scrollTop;for(let o of t.querySelectorAll(".msg[data-id]"))if(o.offsetTop+o.offsetHeight>n)return{id:o.dataset.id,delta:o.offsetTop-n};return null}componentDidMount(){this.scroller.scrollTop=this.scroller.scrollHeight,this.check()}componentDidUpdate(t,n,o){let s=this.scroller;if(o&&o.stick)s.scrollTop=s.scrollHeight;else if(o&&o.id){let a=s.querySelector('.msg[data-id="'+o.id+'"]');a&&(s.scrollTop=a.offsetTop-o.delta)}this.olderFrom&&n.msgs!==this.state.msgs&&n.msgs&&this.state.msgs[0]!==n.msgs[0]&&(performance.measure("pigeon:older-page",{start:this.olderFrom,end:performance.now()}),this.olderFrom=0),this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))}componentWillUnmount(){cancelAnimationFrame(this.raf)}check(){let t=this.scroller;if(!t)return;let{chat:n}=this.props,{start:o,end:s}=this.state,a=n.msgs.length,r=t.scrollHeight-t.scrollTop-t.clientHeight,c=r<40&&s===a;if(c!==this.state.stick&&this.setState({stick:c}),t.scrollTop<Bo)if(o>0){let u=Math.max(0,o-Se);this.setState({start:u,end:Math.min(s,u+dt),stick:!1})}else n.hasOlder&&!n.loading&&!this.state.wantUp&&(this.olderFrom=performance.now(),Zn(n.key).then(u=>{u||(this.olderFrom=0,this.setState({wantUp:!1}))}),this.setState({wantUp:!0}));else if(r<Bo&&s<a){let u=Math.min(a,s+Se);this.setState({end:u,start:Math.max(o,u-dt)})}}render({chat:t,group:n,progress:o,uploads:s},{start:a,end:r,stick:c}){let u=t.msgs,p=[];a===0&&p.push(i`<${Qs} key="older" chatKey=${t.key} />`);for(let l=a;l<r;l++){let m=u[l],h=l>0?u[l-1]:null,d=Nt(m.sent_at),y=!h||Nt(h.sent_at)!==d;y&&p.push(i`<div class="day" role="separator" key=${"d"+m.id}>${Le(m.sent_at)}</div>`);let _=n&&m.direction==="in"&&(y||h.sender!==m.sender||h.direction!=="in")?m.sender_name||Y(m.sender):"",w=m.media?o.get(m.media.id):void 0;p.push(i`<${Oo} key=${m.id} m=${m} sender=${_} prog=${w} onOpen=${this.openMedia} onInfo=${this.openInfo} />`)}if(r===u.length)for(let l of s)p.push(i`<${Fo} key=${"u"+l.uid} u=${l} onCancel=${()=>l.error?so(l.uid):l.abort()} />`);return i`<div
        class="messages"
        ref=${this.setRef}
        onScroll=${this.onScroll}
        tabindex="0"
        aria-label="Messages"
        data-start=${a}
        data-end=${r}
        data-total=${u.length}
      >
        ${p}
      </div>
      ${(!c||r<u.length)&&i`<button type="button" class="btn jump" onClick=${this.jump} aria-label="Jump to the latest message"><${v} name="down" /> Latest</button>`}`}};function Vs({chatKey:e,group:t,info:n}){let o=e.startsWith("g:"),s=e.slice(2),a=$(()=>Q(e)),r=$(h=>o?null:h.presence.get(s)),c=$(()=>o?"":ut(s)),u=$(h=>h.typing.get(e)),p="",l=!1;if(u&&u.size){l=!0;let h=[...u.keys()].map(Y);p=o?h.join(", ")+(h.length>1?" are typing…":" is typing…"):"typing…"}else o?p=t?t.members.map(h=>f.me&&h.account===f.me.account?"You":h.name||Y(h.account)).join(", "):"":r&&(p=r.state==="online"?"online":r.last_seen?Xe(r.last_seen):"");let m=(o?"/group/":"/chat/")+s+"/info";return i`<header class="bar">
    <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${v} name="back" /></a>
    <${H} name=${a} group=${o} online=${r&&r.state==="online"} src=${c} />
    <div class="title">
      <button type="button" onClick=${()=>O(n?m.slice(0,-5):m)} aria-label=${(n?"Hide":"Show")+" details of "+a}>
        <h2>${a}</h2>
        <span class=${z("subtitle",l&&"typing")} data-presence=${r?r.state:""}>${p}</span>
      </button>
    </div>
    <a href=${n?m.slice(0,-5):m} class="icon-btn" onClick=${L} aria-label=${o?"Group details":"Contact details"} aria-pressed=${n?"true":"false"}>
      <${v} name="info" />
    </a>
  </header>`}function Ks({chat:e}){let[t,n]=g(""),o=F("");return D(()=>{let s=e.msgs[e.msgs.length-1];if(!s||s.id===o.current)return;let a=!o.current;o.current=s.id,!a&&s.direction==="in"&&n((s.sender_name||Y(s.sender))+": "+(s.text||(s.media?"a file":"")))},[e.msgs]),i`<div class="sr-only" aria-live="polite">${t}</div>`}function Wo({chatKey:e,info:t}){let n=e.startsWith("g:"),o=e.slice(2),s=$(S=>S.chats.get(e)),a=$(S=>n?S.groups.get(o):null),r=$(S=>S.progress),c=$(S=>S.uploads),u=$(S=>n?null:S.identity.get(o)),[p,l]=g(null),[m,h]=g(null),[d,y]=g(!1),[_,w]=g(null),x=Ve(S=>l(S),[]),C=Ve(S=>h(S),[]),N=c.filter(S=>S.key===e),I=!n||!a||a.status==="active"&&(a.settings.post!=="admins"||a.role==="owner"||a.role==="admin"),se=n&&a&&a.status!=="active"?a.status==="left"?"You left this group.":"You were removed from this group.":I?"":"Only admins can send messages to this group.",Fe=S=>{se||!S.dataTransfer||![...S.dataTransfer.types].includes("Files")||(S.preventDefault(),y(!0))},$e=S=>{y(!1),!(se||!S.dataTransfer||!S.dataTransfer.files.length)&&(S.preventDefault(),w([...S.dataTransfer.files]))};return i`<section
    class="conversation"
    aria-label=${"Chat with "+Q(e)}
    data-chat=${e}
    onDragOver=${Fe}
    onDragLeave=${S=>S.currentTarget===S.target&&y(!1)}
    onDrop=${$e}
  >
    <${Vs} chatKey=${e} group=${a} info=${t} />
    ${u&&i`<div class="banner" role="alert">
      <${v} name="shield" />
      <span class="grow">${Q(e)}'s device keys changed (a reinstall, or someone in between). Compare your safety number with them before you trust new messages.</span>
      <a class="btn" href=${"/chat/"+o+"/info"} onClick=${L}>Compare</a>
    </div>`}
    ${s?i`<${Zt} key=${e} chat=${s} group=${n} progress=${r} uploads=${N} onOpenMedia=${x} onInfo=${C} />`:i`<div class="messages"></div>`}
    <${Js} chatKey=${e} />
    <${Ks} chat=${s||{msgs:[]}} />
    ${se?i`<p class="readonly-note">${se}</p>`:i`<${jo} key=${e} chatKey=${e} dropped=${_} />`}
    ${d&&i`<div class="drop-hint" aria-hidden="true">Drop files to send them</div>`}
    ${p&&i`<${Eo} media=${p} onClose=${()=>l(null)} />`}
    ${m&&i`<${Uo} m=${m} onClose=${()=>h(null)} />`}
  </section>`}function Js({chatKey:e}){let t=$(o=>o.typing.get(e)),n=t?[...t.keys()].map(Y):[];return i`<div class="typing-line" aria-live="polite" data-typing=${n.length?"yes":"no"}>
    ${n.length?e.startsWith("g:")?n.join(", ")+(n.length>1?" are typing…":" is typing…"):n[0]+" is typing…":""}
  </div>`}function ye({onText:e}){let[t,n]=g(!1),[o,s]=g(""),a=F(null),r=async(c,u)=>{try{let p=await An(c);if(p)return n(!1),s(""),e(p),!0}catch(p){u||s(p.message||"No QR code found in that image.")}return!1};return D(()=>{let c=u=>{let p=u.clipboardData&&[...u.clipboardData.files].find(l=>l.type.startsWith("image/"));p&&(u.preventDefault(),r(p))};return document.addEventListener("paste",c),()=>document.removeEventListener("paste",c)},[]),i`<div class="scan">
    <div class="row">
      ${navigator.mediaDevices&&navigator.mediaDevices.getUserMedia&&i`<button type="button" class="btn" aria-pressed=${t?"true":"false"} onClick=${()=>n(!t)}>
        <${v} name="camera" /> ${t?"Stop camera":"Scan with camera"}
      </button>`}
      <button type="button" class="btn" onClick=${()=>a.current.click()}><${v} name="qr" /> QR code from an image</button>
      <input
        ref=${a}
        type="file"
        accept="image/png,image/jpeg"
        hidden
        aria-hidden="true"
        tabindex="-1"
        onChange=${c=>{let u=c.target.files[0];c.target.value="",u&&r(u)}}
      />
    </div>
    <p class="muted">You can also paste a screenshot of a QR code here.</p>
    ${t&&i`<${Xs} onFrame=${c=>r(c,!0)} onError=${c=>(s(c),n(!1))} />`}
    ${o&&i`<p class="error-text" role="alert">${o}</p>`}
  </div>`}function Xs({onFrame:e,onError:t}){let n=F(null);return D(()=>{let o=null,s=0,a=!1,r=document.createElement("canvas"),c=()=>{let u=n.current;if(!(a||!u)){if(u.videoWidth){r.width=u.videoWidth,r.height=u.videoHeight,r.getContext("2d").drawImage(u,0,0),r.toBlob(async p=>{p&&!a&&await e(p)&&(a=!0),a||(s=setTimeout(c,600))},"image/jpeg",.85);return}s=setTimeout(c,300)}};return navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}).then(u=>{if(o=u,a)return u.getTracks().forEach(p=>p.stop());n.current.srcObject=u,n.current.play(),c()}).catch(()=>t("The camera is not available: allow it in the browser, or use an image of the code.")),()=>{a=!0,clearTimeout(s),o&&o.getTracks().forEach(u=>u.stop())}},[]),i`<div class="camera"><video ref=${n} muted playsinline aria-label="Camera"></video></div>`}function Ho({onClose:e,initial:t}){let[n,o]=g(t||""),[s,a]=g(""),[r,c]=g(""),[u,p]=g(!1),l=_e(),m=Ze(n);D(()=>{m&&m.kind==="account"&&m.name&&!s&&a(m.name)},[n]);let h=async d=>{if(d.preventDefault(),!m){c("That is not an account ID (pg… 60 characters) or a contact link. Ask your contact for the one on their “My account” screen.");return}p(!0),c("");try{if(m.kind==="invite"){let y=await at(m.link);R(y.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),O("/group/"+y.group);return}await zt(m.account,s.trim()),e(),O("/chat/"+m.account)}catch(y){c(y.message)}finally{p(!1)}};return i`<${E}
    title="Add contact"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="add-contact" class="btn primary" disabled=${u}>${m&&m.kind==="invite"?"Join group":"Add"}</button>`}
  >
    <form id="add-contact" onSubmit=${h}>
      <label class="field">
        <span>Account ID or link</span>
        <input ref=${l} type="text" name="account" autocomplete="off" spellcheck="false" value=${n} onInput=${d=>o(d.target.value)} placeholder="pg… or pigeon:pg…" />
      </label>
      ${m&&m.kind==="invite"&&i`<p class="muted">This is a group invite link: adding it joins the group.</p>`}
      ${(!m||m.kind==="account")&&i`<label class="field">
        <span>Name (only you see it)</span>
        <input type="text" name="name" value=${s} onInput=${d=>a(d.target.value)} />
      </label>`}
      ${r&&i`<p class="error-text" role="alert">${r}</p>`}
    </form>
    <${ye} onText=${d=>(o(d),c(""))} />
  </${E}>`}function Go(){let e=$(s=>s.me),[t,n]=g(localStorage.getItem("pigeon.my-name")||"");if(!e)return null;let o=jn(e.account,t.trim());return i`<div class="card my-account">
    <h3>My account</h3>
    <p class="muted">Others add you with this ID, this link or by scanning the code.</p>
    <p class="mono" data-account=${e.account}>${e.account}</p>
    <div class="row">
      <button type="button" class="btn" onClick=${async()=>R(await Ee(e.account)?"Account ID copied.":"Copy failed: select the ID and copy it.")}>
        <${v} name="copy" /> Copy ID
      </button>
      <button type="button" class="btn" onClick=${async()=>R(await Ee(o)?"Contact link copied.":"Copy failed.")}>
        <${v} name="link" /> Copy contact link
      </button>
    </div>
    <label class="field">
      <span>Name to suggest in your link (optional)</span>
      <input
        type="text"
        value=${t}
        onInput=${s=>{n(s.target.value),localStorage.setItem("pigeon.my-name",s.target.value)}}
      />
    </label>
    <img class="qr" src=${me(o)} alt=${"QR code of your contact link "+o} width="220" height="220" />
    <p class="muted">Device ${e.device} · peer ${W(e.peer_id)}</p>
  </div>`}function zo({onAdd:e}){let n=[...$(o=>o.contacts).values()].sort((o,s)=>(o.name||o.account).localeCompare(s.name||s.account));return i`<section class="pane page" aria-labelledby="contacts-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${v} name="back" /></a>
      <h2 id="contacts-title">Contacts</h2>
      <button type="button" class="btn primary" onClick=${e}><${v} name="person-add" /> Add contact</button>
    </header>
    <div class="page-body">
      <div class="card">
        <ul class="list">
          ${n.map(o=>i`<li key=${o.account} data-account=${o.account}>
              <${H} small name=${o.name} />
              <span class="grow">
                <strong>${o.name||W(o.account)}</strong>
                ${o.verified&&i` <span class="verified">✓ verified</span>`}
                ${o.identity_changed_at&&i` <span class="error-text">keys changed</span>`}
                <div class="mono muted">${o.account}</div>
              </span>
              <a class="btn" href=${"/chat/"+o.account} onClick=${L}><${v} name="chat" /> Message</a>
            </li>`)}
          ${!n.length&&i`<li class="muted">No contacts yet. Add one with their account ID, link or QR code.</li>`}
        </ul>
      </div>
      <${Go} />
    </div>
  </section>`}function Yo(){return i`<section class="pane page" aria-labelledby="me-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${v} name="back" /></a>
      <h2 id="me-title">My account</h2>
    </header>
    <div class="page-body"><${Go} /></div>
  </section>`}function Zs({account:e}){let t=$(d=>d.contacts.get(e)),n=$(d=>d.identity.get(e)),[o,s]=g(""),[a,r]=g(""),[c,u]=g(!1),[p,l]=g(null);D(()=>{M("/v1/contacts/"+j(e)+"/safety-number").then(d=>s(d.safety_number)).catch(d=>r(d.message))},[e,t&&t.identity_changed_at,n]);let m=Bn(o).split(" ").filter(Boolean),h=async()=>{try{await lo(e),R("Marked as verified.")}catch(d){k(d)}};return i`<div class="section safety-number">
    <h3>Safety number</h3>
    ${(n||t&&t.identity_changed_at)&&i`<p class="banner" role="alert"><${v} name="shield" /> Their device keys changed${t&&t.verified?" since you verified it":""} (a reinstall, or someone in between). Compare the safety number again before you trust new messages.</p>`}
    ${a&&i`<p class="error-text">${a}</p>`}
    ${o&&i`<div class="safety" aria-label=${"Safety number "+m.join(" ")} data-safety=${o}>${m.map((d,y)=>i`<span key=${y}>${d}</span>`)}</div>
      <img class="qr" src=${me(o)} alt="QR code of the safety number, for the other side to scan" width="220" height="220" />
      <p class="muted">Compare these digits with ${t&&t.name?t.name:"your contact"}'s screen, in person or on a call, or scan each other's code.</p>`}
    ${c&&i`<${ye}
      onText=${d=>{u(!1),l(d.replace(/\s/g,"")===o)}}
    />`}
    ${p===!0&&i`<p class="verified" role="status">The numbers match.</p>`}
    ${p===!1&&i`<p class="error-text" role="alert">The numbers do not match: do not verify.</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${()=>u(!c)}><${v} name="camera" /> ${c?"Stop scanning":"Scan their code"}</button>
      ${t&&t.verified&&!t.identity_changed_at?i`<span class="verified"><${v} name="shield" /> Verified</span>`:i`<button type="button" class="btn primary" onClick=${h} disabled=${!t}>Mark as verified</button>`}
    </div>
  </div>`}var ea=[[-1,"As in Settings"],[0,"Never"],[1<<20,"Up to 1 MB"],[16<<20,"Up to 16 MB"],[100<<20,"Up to 100 MB"],[16*1024*1024*1024,"Always"]];function ta({account:e}){let[t,n]=g(localStorage.getItem("pigeon.auto."+e)||"-1"),o=async s=>{try{await U("/v1/conversations/"+j(e)+"/auto-download",{max_bytes:Number(s)}),localStorage.setItem("pigeon.auto."+e,s),n(s)}catch(a){k(a)}};return i`<label class="field">
    <span>Download files from this chat on arrival</span>
    <select value=${t} onChange=${s=>o(s.target.value)}>
      ${ea.map(([s,a])=>i`<option value=${String(s)}>${a}</option>`)}
    </select>
  </label>`}function Qo({account:e}){let t=$(c=>c.contacts.get(e)),n=$(c=>c.presence.get(e)),[o,s]=g(t?t.name:"");D(()=>s(t?t.name:""),[t&&t.name]);let a=async c=>{c.preventDefault();try{await U("/v1/contacts/"+j(e),{name:o.trim()}),await V(),te(),R("Saved.")}catch(u){k(u)}},r=async()=>{if(confirm("Remove this contact? The chat stays."))try{await B("/v1/contacts/"+j(e)),await V()}catch(c){k(c)}};return i`<aside class="drawer" aria-label="Contact details">
    <header class="bar">
      <a href=${"/chat/"+e} class="icon-btn" onClick=${L} aria-label="Close details"><${v} name="close" /></a>
      <h2>Contact details</h2>
    </header>
    <div class="section">
      ${t?i`<form onSubmit=${a} class="row">
            <label class="field grow"><span>Name</span><input type="text" value=${o} onInput=${c=>s(c.target.value)} /></label>
            <button class="btn" type="submit">Save</button>
          </form>`:i`<p>Not in your contacts.</p>
            <button type="button" class="btn primary" onClick=${()=>zt(e,"").catch(k)}>Add to contacts</button>`}
      <p class="label">Account ID</p>
      <p class="mono">${e}</p>
      ${n&&i`<p class="muted">${n.state==="online"?"Online":n.state==="offline"?"Offline":"Presence not shared"}</p>`}
    </div>
    <${Zs} account=${e} />
    <div class="section">
      <h3>Files</h3>
      <${ta} account=${e} />
    </div>
    <${Mo} account=${e} />
    ${t&&i`<div class="section"><button type="button" class="btn danger" onClick=${r}><${v} name="trash" /> Remove contact</button></div>`}
  </aside>`}function Vo({chosen:e,onChange:t,exclude:n}){let s=[...$(a=>a.contacts).values()].filter(a=>!n||!n.has(a.account));return s.length?i`<fieldset class="pick">
    <legend class="sr-only">Members</legend>
    ${s.map(a=>i`<label key=${a.account}>
        <input
          type="checkbox"
          checked=${e.has(a.account)}
          onChange=${r=>{let c=new Set(e);r.target.checked?c.add(a.account):c.delete(a.account),t(c)}}
        />
        ${a.name||W(a.account)}
      </label>`)}
  </fieldset>`:i`<p class="muted">No contacts to choose from. Add contacts first, or share an invite link.</p>`}function Ko({onClose:e}){let[t,n]=g(""),[o,s]=g(""),[a,r]=g(new Set),[c,u]=g(""),[p,l]=g(!1),m=_e(),h=async d=>{if(d.preventDefault(),!t.trim()){u("Give the group a name.");return}l(!0);try{let y=await uo(t.trim(),o.trim(),[...a]);e(),O("/group/"+y.id)}catch(y){u(y.message)}finally{l(!1)}};return i`<${E}
    title="New group"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="new-group" class="btn primary" disabled=${p}>Create</button>`}
  >
    <form id="new-group" onSubmit=${h}>
      <label class="field"><span>Name</span><input ref=${m} type="text" name="name" value=${t} onInput=${d=>n(d.target.value)} /></label>
      <label class="field"><span>Description (optional)</span><textarea rows="2" name="description" value=${o} onInput=${d=>s(d.target.value)}></textarea></label>
      <p class="label">Members</p>
      <${Vo} chosen=${a} onChange=${r} />
      ${c&&i`<p class="error-text" role="alert">${c}</p>`}
    </form>
  </${E}>`}function Jo({onClose:e}){let[t,n]=g(""),[o,s]=g(""),[a,r]=g(!1),c=_e(),u=async p=>{let l=Ze(p);if(!l||l.kind!=="invite"){s("That is not a group invite link (it starts with pgi). Ask a member for a new one.");return}r(!0),s("");try{let m=await at(l.link);R(m.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),O("/group/"+m.group)}catch(m){s(m.message)}finally{r(!1)}};return i`<${E}
    title="Join a group"
    onClose=${e}
    actions=${i`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="join-group" class="btn primary" disabled=${a}>${a?"Asking the group…":"Join"}</button>`}
  >
    <form
      id="join-group"
      onSubmit=${p=>{p.preventDefault(),u(t)}}
    >
      <label class="field"><span>Invite link</span><input ref=${c} type="text" name="link" autocomplete="off" spellcheck="false" value=${t} onInput=${p=>n(p.target.value)} placeholder="pgi…" /></label>
      ${o&&i`<p class="error-text" role="alert">${o}</p>`}
    </form>
    <${ye} onText=${p=>(n(p),u(p))} />
  </${E}>`}var tn=(e,t)=>e.role==="owner"||e.role==="admin"||e.settings&&e.settings[t]==="members"&&e.role==="member";function na({g:e}){let[t,n]=g(""),[o,s]=g("86400"),a=async()=>{try{let c=await P("/v1/groups/"+e.id+"/invites",{ttl_seconds:Number(o)});n(c.link),K(e.id)}catch(c){k(c)}},r=async()=>{try{await P("/v1/groups/invites/revoke",{link:t}),n(""),K(e.id),R("Invite link revoked: nobody can join with it now.")}catch(c){k(c)}};return i`<div class="section invites">
    <h3>Invite link</h3>
    ${t?i`<p class="mono" data-invite=${t}>${t}</p>
          <img class="qr" src=${me(t)} alt="QR code of the invite link" width="220" height="220" />
          <div class="row">
            <button type="button" class="btn" onClick=${async()=>R(await Ee(t)?"Invite link copied.":"Copy failed: select the link and copy it.")}>
              <${v} name="copy" /> Copy
            </button>
            <button type="button" class="btn danger" onClick=${r}>Revoke</button>
          </div>`:i`<div class="row">
          <label class="field grow">
            <span>Valid for</span>
            <select value=${o} onChange=${c=>s(c.target.value)}>
              <option value="3600">1 hour</option>
              <option value="86400">1 day</option>
              <option value="604800">1 week</option>
              <option value="0">Until revoked</option>
            </select>
          </label>
          <button type="button" class="btn primary" onClick=${a}><${v} name="link" /> Create invite link</button>
        </div>`}
    ${e.invites&&e.invites.length>0&&i`<p class="muted">${e.invites.length} invite link${e.invites.length>1?"s":""} open.</p>`}
  </div>`}function oa({g:e}){let t=$(l=>l.contacts);$(l=>l.profiles);let[n,o]=g(!1),[s,a]=g(new Set),r=f.me&&f.me.account,c=e.role==="owner"||e.role==="admin",u=async l=>{try{await l(),await K(e.id)}catch(m){k(m)}},p="/v1/groups/"+e.id+"/members";return i`<div class="section members">
    <h3>${e.members.length} members</h3>
    <ul class="list">
      ${e.members.map(l=>{let m=l.account===r?"You":l.name||(t.get(l.account)||{}).name||W(l.account);return i`<li key=${l.account} data-account=${l.account}>
          <${H} small name=${m} src=${ut(l.account)} />
          <span class="grow">${m}</span>
          ${l.role!=="member"&&i`<span class="role">${l.role}</span>`}
          ${c&&l.account!==r&&l.role!=="owner"&&i`<span class="row">
            ${l.role==="member"?i`<button type="button" class="btn" onClick=${()=>u(()=>U(p+"/"+l.account+"/role",{role:"admin"}))} aria-label=${"Make "+m+" an admin"}>Make admin</button>`:e.role==="owner"&&i`<button type="button" class="btn" onClick=${()=>u(()=>U(p+"/"+l.account+"/role",{role:"member"}))} aria-label=${"Make "+m+" a member"}>Dismiss as admin</button>`}
            <button type="button" class="btn danger" onClick=${()=>confirm("Remove "+m+" from the group?")&&u(()=>B(p+"/"+l.account))} aria-label=${"Remove "+m}>
              Remove
            </button>
          </span>`}
        </li>`})}
    </ul>
    ${tn(e,"add")&&(n?i`<div>
          <${Vo} chosen=${s} onChange=${a} exclude=${new Set(e.members.map(l=>l.account))} />
          <div class="row">
            <button
              type="button"
              class="btn primary"
              disabled=${!s.size}
              onClick=${()=>u(async()=>{await P(p,{accounts:[...s],role:"member"}),o(!1),a(new Set)})}
            >
              Add ${s.size||""}
            </button>
            <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
          </div>
        </div>`:i`<button type="button" class="btn" onClick=${()=>o(!0)}><${v} name="person-add" /> Add members</button>`)}
  </div>`}function en({g:e,k:t,label:n}){let o=async s=>{try{await Pt("/v1/groups/"+e.id,{settings:{...e.settings,[t]:s}}),await K(e.id)}catch(a){k(a)}};return i`<label class="field">
    <span>${n}</span>
    <select value=${e.settings[t]} onChange=${s=>o(s.target.value)}>
      <option value="members">All members</option>
      <option value="admins">Only admins</option>
    </select>
  </label>`}function sa({g:e}){return i`<div class="section">
    <h3>Permissions</h3>
    <${en} g=${e} k="post" label="Who can send messages" />
    <${en} g=${e} k="add" label="Who can add members" />
    <${en} g=${e} k="edit_info" label="Who can change name and description" />
  </div>`}function Xo({id:e}){let t=$(l=>l.groups.get(e)),[n,o]=g(null),[s,a]=g(null);if(!t)return i`<aside class="drawer"><p class="hint">Loading the group…</p></aside>`;let r=t.status==="active",c=r&&tn(t,"edit_info"),u=async l=>{l.preventDefault();try{await Pt("/v1/groups/"+e,{name:(n??t.name).trim(),description:(s??t.description??"").trim()}),await K(e),await ue(),o(null),a(null),R("Saved.")}catch(m){k(m)}},p=async()=>{if(confirm("Leave "+t.name+"? You will not get its messages any more."))try{await P("/v1/groups/"+e+"/leave"),await K(e)}catch(l){k(l)}};return i`<aside class="drawer" aria-label="Group details" data-group=${e}>
    <header class="bar">
      <a href=${"/group/"+e} class="icon-btn" onClick=${L} aria-label="Close details"><${v} name="close" /></a>
      <h2>Group details</h2>
    </header>
    <div class="section">
      ${c?i`<form onSubmit=${u}>
            <label class="field"><span>Name</span><input type="text" name="name" value=${n??t.name} onInput=${l=>o(l.target.value)} /></label>
            <label class="field"><span>Description</span><textarea rows="3" name="description" value=${s??t.description??""} onInput=${l=>a(l.target.value)}></textarea></label>
            <button type="submit" class="btn" disabled=${n===null&&s===null}>Save</button>
          </form>`:i`<h3>${t.name}</h3>
            <p>${t.description}</p>`}
      <p class="muted">${r?"Your role: "+t.role:t.status==="left"?"You left this group.":"You were removed from this group."}</p>
    </div>
    ${r&&i`<${oa} g=${t} />`}
    ${r&&tn(t,"add")&&i`<${na} g=${t} />`}
    ${r&&(t.role==="owner"||t.role==="admin")&&i`<${sa} g=${t} />`}
    ${r&&i`<div class="section"><button type="button" class="btn danger" onClick=${p}>Leave group</button></div>`}
  </aside>`}function on(e=localStorage.getItem("pigeon.theme")||"system"){e==="light"||e==="dark"?document.documentElement.dataset.theme=e:delete document.documentElement.dataset.theme}function aa(){let[e,t]=g(null),[n,o]=g(""),[s,a]=g(""),r=()=>M("/v1/relays").then(t).catch(k);D(()=>{r();let p=setInterval(r,1e4);return()=>clearInterval(p)},[]);let c=async p=>{p.preventDefault();try{await P("/v1/relays",s.trim()?{addr:n.trim(),invite:s.trim()}:{addr:n.trim()}),o(""),a(""),R("Relay added: the node reserves a slot there now."),r()}catch(l){k(l)}},u=async p=>{if(confirm("Stop using relay "+W(p.peer_id)+"? What its mailbox holds for you is taken first."))try{await B("/v1/relays/"+p.peer_id),r()}catch(l){k(l)}};return i`<div class="card relays">
    <h3>Relays</h3>
    <p class="muted">Relays carry your encrypted messages while you are offline and connect you when you cannot be reached directly. They only see ciphertext.</p>
    <ul class="list">
      ${(e||[]).map(p=>i`<li key=${p.peer_id} data-peer=${p.peer_id}>
          <span class="grow">
            <span class="mono">${p.addr}</span>
            <div class="relay-stats">
              ${p.closing?"closing":p.reserved?"connected":"not connected"}
              ${p.latency_ms?" · "+p.latency_ms.toFixed(1)+" ms":""}
              ${p.region?" · "+p.region:""}
              ${p.mailbox?" · mailbox":""}
              ${p.push&&p.push!=="off"?" · push "+p.push+(p.push_reason?" ("+p.push_reason+")":""):""}
              ${p.last_error?i` · <span class="error-text">${p.last_error}</span>`:""}
            </div>
          </span>
          ${!p.closing&&i`<button type="button" class="btn danger" onClick=${()=>u(p)} aria-label=${"Remove relay "+p.addr}>Remove</button>`}
        </li>`)}
      ${e&&!e.length&&i`<li class="muted">No relays: others reach you only while you are online and reachable.</li>`}
    </ul>
    <form onSubmit=${c}>
      <label class="field"><span>Relay address</span><input type="text" name="relay" value=${n} onInput=${p=>o(p.target.value)} placeholder="/ip4/…/tcp/…/p2p/12D3Koo…" spellcheck="false" /></label>
      <label class="field"><span>Invite token (for invite-only relays)</span><input type="text" value=${s} onInput=${p=>a(p.target.value)} /></label>
      <button type="submit" class="btn" disabled=${!n.trim()}>Add relay</button>
    </form>
  </div>`}function ra(){let[e,t]=g(null),[n,o]=g("unifiedpush"),[s,a]=g(""),[r,c]=g(""),[u,p]=g(""),l=()=>M("/v1/push").then(t).catch(k);D(()=>{l()},[]);let m=async d=>{d.preventDefault();let y={kind:n};n==="unifiedpush"||n==="webhook"?y.url=s.trim():y.token=r.trim(),n==="apns"&&(y.topic=u.trim());try{await U("/v1/push",y),R("Push endpoint set; each relay says below whether it will use it."),l()}catch(_){k(_)}},h=async()=>{try{await B("/v1/push"),l()}catch(d){k(d)}};return i`<div class="card push">
    <h3>Push wake-ups</h3>
    <p class="muted">Your relays can wake a phone or a server of yours when something arrives while this device is away. The wake-up carries no content.</p>
    ${e&&i`<p>${e.endpoint?"Now: "+e.described:"No push endpoint."}</p>
      <ul class="list">
        ${e.relays.map(d=>i`<li key=${d.peer_id}><span class="grow mono">${W(d.peer_id)}</span><span>${d.state}${d.reason?": "+d.reason:""}</span></li>`)}
      </ul>`}
    <form onSubmit=${m}>
      <label class="field">
        <span>Kind</span>
        <select value=${n} onChange=${d=>o(d.target.value)}>
          <option value="unifiedpush">UnifiedPush</option>
          <option value="webhook">Webhook</option>
          <option value="fcm">Firebase (FCM)</option>
          <option value="apns">Apple (APNs)</option>
        </select>
      </label>
      ${n==="unifiedpush"||n==="webhook"?i`<label class="field"><span>URL</span><input type="url" value=${s} onInput=${d=>a(d.target.value)} /></label>`:i`<label class="field"><span>Token</span><input type="text" value=${r} onInput=${d=>c(d.target.value)} /></label>`}
      ${n==="apns"&&i`<label class="field"><span>Topic</span><input type="text" value=${u} onInput=${d=>p(d.target.value)} /></label>`}
      <div class="row">
        <button type="submit" class="btn">Set</button>
        ${e&&e.endpoint&&i`<button type="button" class="btn danger" onClick=${h}>Turn off</button>`}
      </div>
    </form>
  </div>`}function ia(){let[e,t]=g("");D(()=>{M("/v1/presence/privacy").then(o=>t(o.who)).catch(k)},[]);let n=async o=>{try{await U("/v1/presence/privacy",{who:o}),t(o),R("Saved.")}catch(s){k(s)}};return i`<div class="card">
    <h3>Privacy</h3>
    <label class="field">
      <span>Who sees when you are online and when you were last seen</span>
      <select value=${e} onChange=${o=>n(o.target.value)}>
        ${!e&&i`<option value="">Loading…</option>`}
        <option value="everyone">Everyone</option>
        <option value="contacts">My contacts</option>
        <option value="nobody">Nobody</option>
      </select>
    </label>
  </div>`}var nn=[[0,"Never (download when I ask)"],[1<<20,"Files up to 1 MB"],[16<<20,"Files up to 16 MB"],[100<<20,"Files up to 100 MB"],[16*1024*1024*1024,"All files"]];function ca(){let e=$(s=>s.autoDownload),t=e?e.max_bytes:null,n=t==null||nn.some(([s])=>s===t)?nn:[...nn,[t,"Files up to "+Z(t)]],o=async s=>{try{await U("/v1/media-settings/auto-download",{max_bytes:Number(s)}),await Bt()}catch(a){k(a)}};return i`<div class="card">
    <h3>Automatic downloads</h3>
    <label class="field">
      <span>Download files on arrival</span>
      <select value=${t==null?"":String(t)} onChange=${s=>o(s.target.value)}>
        ${n.map(([s,a])=>i`<option value=${String(s)}>${a}</option>`)}
      </select>
    </label>
    <p class="muted">Each chat can have its own setting in its details.</p>
  </div>`}function la(){let[e,t]=g(localStorage.getItem("pigeon.theme")||"system"),[n,o]=g(it()),s=a=>{localStorage.setItem("pigeon.theme",a),t(a),on(a)};return i`<div class="card">
    <h3>Appearance and notifications</h3>
    <fieldset class="field">
      <legend class="label">Theme</legend>
      <div class="row">
        ${["system","light","dark"].map(a=>i`<label key=${a}><input type="radio" name="theme" value=${a} checked=${e===a} onChange=${()=>s(a)} /> ${a==="system"?"Follow the system":a==="light"?"Light":"Dark"}</label>`)}
      </div>
    </fieldset>
    <p>
      Notifications:
      ${n==="granted"?" on, while this tab is in the background.":n==="denied"?" blocked in this browser’s site settings.":n==="unsupported"?" not supported by this browser.":i` <button type="button" class="btn" onClick=${async()=>o(await ct())}>Turn on</button>`}
    </p>
  </div>`}function ua(){return i`<div class="card">
    <h3>This browser</h3>
    <p class="muted">Signing out ends this browser's session; run <code>pigeon web</code> to sign in again.</p>
    <button type="button" class="btn danger" onClick=${async()=>{try{await P("/v1/web/logout")}catch(t){if(t.status!==401)return k(t)}f.boot="signedout",f.me=null,location.replace("/")}}>Sign out</button>
  </div>`}function Zo(){return i`<section class="pane page" aria-labelledby="settings-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${v} name="back" /></a>
      <h2 id="settings-title">Settings</h2>
    </header>
    <div class="page-body">
      <${Co} />
      <${bo} />
      <${la} />
      <${ia} />
      <${ca} />
      <${aa} />
      <${ra} />
      <${ua} />
    </div>
  </section>`}function pa(){let e=f.convs.map(n=>({key:n.key,name:n.name||Q(n.key),group:!!n.group})),t=new Set(e.map(n=>n.key));for(let n of f.contacts.values()){let o=he(n.account);t.has(o)||e.push({key:o,name:n.name||Q(o),group:!1})}return e}function es({onClose:e}){let[t,n]=g(""),[o,s]=g(0),a=_e(),r=t.trim().toLowerCase(),c=pa(),u=(r?c.filter(h=>h.name.toLowerCase().includes(r)):c).slice(0,50),p=Math.min(o,u.length-1),l=h=>{h&&(e(),O(ge(h.key)))},m=h=>{h.key==="ArrowDown"?(h.preventDefault(),s((p+1)%Math.max(1,u.length))):h.key==="ArrowUp"?(h.preventDefault(),s((p-1+u.length)%Math.max(1,u.length))):h.key==="Enter"&&(h.preventDefault(),l(u[p]))};return i`<${E} title="Go to chat" onClose=${e} class="switcher">
    <label class="sr-only" for="switcher-input">Chat name</label>
    <input
      id="switcher-input"
      ref=${a}
      type="text"
      role="combobox"
      aria-expanded="true"
      aria-controls="switcher-list"
      aria-autocomplete="list"
      aria-activedescendant=${u.length?"sw-"+p:void 0}
      autocomplete="off"
      placeholder="Type a name"
      value=${t}
      onInput=${h=>(n(h.target.value),s(0))}
      onKeyDown=${m}
    />
    <ul id="switcher-list" class="switcher-list" role="listbox" aria-label="Chats">
      ${u.map((h,d)=>i`<li id=${"sw-"+d} key=${h.key} role="option" aria-selected=${d===p?"true":"false"} onClick=${()=>l(h)} data-key=${h.key}>
          <${H} small name=${h.name} group=${h.group} />
          ${h.name}
        </li>`)}
      ${!u.length&&i`<li class="muted" role="option" aria-disabled="true" aria-selected="false">No chat matches.</li>`}
    </ul>
  </${E}>`}var da=500,ft=null,ts="";function os(){return f.boot="setup",f.setup=null,b(),new Promise(e=>{ft=e,as()})}function ss(){let e=ft;ft=null,e&&e()}async function as(){if(ft){try{f.setup=await M("/v1/setup"),f.setupDown=""}catch(e){f.setupDown=e.message}if(b(),f.setup&&f.setup.state==="ready"){ss();return}setTimeout(as,da)}}var ns=e=>(e||0).toLocaleString("en-US");function fa({failed:e,onLink:t}){let[n,o]=g(!1),[s,a]=g("");return i`<div class="setup-choice">
    <button type="button" class="btn primary create-account" disabled=${n} onClick=${async()=>{o(!0),a("");try{await P("/v1/setup/create"),f.setup={state:"creating"},b()}catch(c){a(c.message)}o(!1)}}>Create a new account</button>
    <button type="button" class="btn link-account" disabled=${n} onClick=${t}>Link to an account I already have</button>
    ${(s||e)&&i`<p class="error-text setup-error" role="alert">${s||e.error}</p>`}
  </div>`}function ma({failed:e,onBack:t}){let[n,o]=g(""),[s,a]=g(ts),[r,c]=g(!1),[u,p]=g(""),l=async h=>{h.preventDefault(),c(!0),p("");try{await P("/v1/setup/link",{code:n.trim(),name:s.trim()}),f.setup={state:"linking"},b()}catch(d){p(d.message)}c(!1)},m=u||e&&e.error;return i`<form class="setup-link" onSubmit=${l}>
    <p>On the device that has your account, open Settings › Devices › <strong>Link a device</strong> (or run <code>pigeon devices link</code>), then paste its code here.</p>
    <label class="field">
      <span>Link code</span>
      <textarea class="mono link-code link-code-input" rows="4" spellcheck="false" placeholder="pigeon-link:…" value=${n} onInput=${h=>o(h.target.value)}></textarea>
    </label>
    <${ye} onText=${o} />
    <label class="field">
      <span>Name of this device (optional)</span>
      <input type="text" class="device-name-input" maxlength="64" placeholder="this computer's name" value=${s} onInput=${h=>a(ts=h.target.value)} />
    </label>
    ${m&&i`<p class="error-text setup-error" role="alert" data-code=${u?"":e.code}>${m}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${t}>Back</button>
      <button type="submit" class="btn primary" disabled=${r||!n.trim()}>Link this device</button>
    </div>
  </form>`}function rs(){let e=$(a=>a.setup),t=$(a=>a.setupDown),[n,o]=g(""),s;if(!e)s=i`<p class="muted">Asking the daemon…</p>`;else if(e.state==="creating")s=i`<p role="status">Creating your account…</p>`;else if(e.state==="linking")s=e.sas?i`<p>Check that your other device shows this code, and confirm there:</p>
          <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
          <p class="muted">If it shows other digits, cancel there: someone else has your link code.</p>`:i`<p role="status">Asking your other device…</p>`;else if(e.state==="syncing"||e.state==="ready"){let a=e.history||{};s=i`<p>This device is linked to your account.</p>
      <p class="setup-history" role="status">${a.error?"Getting your history stopped ("+a.error+"); it goes on when the devices meet again.":"Getting your history: "+ns(a.done)+" of "+ns(a.total)}</p>
      <progress max=${a.total||1} value=${a.done||0}></progress>
      <button type="button" class="btn open-app" onClick=${ss}>Open Pigeon now</button>`}else n==="link"||n===""&&e.error&&e.error.code!=="internal"?s=i`<${ma} failed=${e.error} onBack=${()=>o("choice")} />`:s=i`<p>This device has no Pigeon account yet.</p><${fa} failed=${e.error} onLink=${()=>o("link")} />`;return i`<main class="signin setup" aria-labelledby="setup-title" data-state=${e?e.state:""}>
    <h1 id="setup-title">Set up Pigeon</h1>
    ${s}
    ${t&&i`<p class="error-text" role="alert">${t}</p>`}
  </main>`}function ha(){return i`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in to Pigeon</h1>
    <p>This browser is not signed in to your Pigeon node (or its session ended).</p>
    <p>In a terminal on this computer, run <code>pigeon web</code>: it prints a one-time login link and opens it in your browser.</p>
    <p class="muted">The link works once, for 10 minutes. The session then lasts 30 days from its last use.</p>
  </main>`}function ga(){let e=$(t=>t.toasts);return i`<div class="toasts" role="status" aria-live="polite">
    ${e.map(t=>i`<div key=${t.id} class=${"toast "+t.kind} role=${t.kind==="error"?"alert":void 0}>
        <span class="grow">${t.text}</span>
        <button type="button" aria-label="Dismiss" onClick=${()=>jt(t.id)}><${v} name="close" /></button>
      </div>`)}
  </div>`}function _a(){return i`<main class="pane empty-pane" id="main">
    <div class="card">
      <h2>Pigeon</h2>
      <p>Pick a chat on the left, or press <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump to one.</p>
      <p class="muted">Messages are end-to-end encrypted and stored on your own node.</p>
    </div>
  </main>`}function ya(){let e=$(c=>c.boot),t=$(c=>c.storageFull),n=fo(),[o,s]=g("");if(D(()=>{n.name==="chat"?Wt(n.key):Xn()},[n.name,n.key,e]),D(()=>{let c=u=>{(u.ctrlKey||u.metaKey)&&!u.altKey&&u.key.toLowerCase()==="k"&&(u.preventDefault(),s("switcher"))};return document.addEventListener("keydown",c),()=>document.removeEventListener("keydown",c)},[]),e==="signedout")return i`<${ha} />`;if(e==="setup")return i`<${rs} />`;if(e==="error")return i`<main class="signin"><h1>Pigeon</h1><p class="error-text">${f.bootError}</p></main>`;let a=()=>s(""),r;if(n.name==="chat"){let c=i`<${Wo} key=${n.key} chatKey=${n.key} info=${n.info} />`,u=n.info&&(n.key.startsWith("g:")?i`<${Xo} id=${n.key.slice(2)} />`:i`<${Qo} account=${n.key.slice(2)} />`);r=i`<main class="pane" id="main">${u?i`<div class="with-drawer">${c}${u}</div>`:c}</main>`}else n.name==="contacts"?r=i`<${zo} onAdd=${()=>s("contact")} />`:n.name==="me"?r=i`<${Yo} />`:n.name==="settings"?r=i`<${Zo} />`:n.name==="requests"?r=i`<${Do} />`:r=i`<${_a} />`;return i`<div class=${"app"+(n.name!=="home"?" chat-open":"")} data-boot=${e}>
    <a class="skip" href="#main">Skip to conversation</a>
    <${Io}
      current=${n.key}
      onNewGroup=${()=>s("group")}
      onAddContact=${()=>s("contact")}
      onJoin=${()=>s("join")}
    />
    ${t&&i`<div class="banner" role="alert">The disk is nearly full: free some space to receive messages and files again.</div>`}
    ${r}
    ${o==="switcher"&&i`<${es} onClose=${a} />`}
    ${o==="group"&&i`<${Ko} onClose=${a} />`}
    ${o==="contact"&&i`<${Ho} onClose=${a} />`}
    ${o==="join"&&i`<${Jo} onClose=${a} />`}
    <${wo} />
    <${ga} />
  </div>`}function $a(){let e=$(t=>t.conn);return D(()=>{document.body.dataset.conn=e},[e]),i`<${ya} />`}function va(){return new Promise(e=>document.hidden?e():requestAnimationFrame(()=>setTimeout(e)))}async function ba(){Ln(()=>{f.boot="signedout",b()});let e=M("/v1/info");e.catch(()=>{}),await va();let t=document.getElementById("app");t.textContent="",t.className="",wt(i`<${$a} />`,t);try{f.me=await e.catch(async n=>{if(n.code!=="not_set_up")throw n;return await os(),f.boot="loading",M("/v1/info")})}catch(n){n.status!==401&&(f.boot="error",f.bootError=n.message),b();return}b(),pt(),document.addEventListener("visibilitychange",()=>{to(document.visibilityState==="visible"),document.hidden||Jt()}),window.addEventListener("online",Jt),Qn(go)}on();ba();
