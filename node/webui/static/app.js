/* Pigeon web client, bundled from js/ (go generate). Includes Preact (MIT) and htm (Apache-2.0): vendor/LICENSE-preact.txt, vendor/LICENSE-htm.txt. */
var T,rn,rs,re,ft,He,cn,Be,ln,ht,mt,is,Me=Symbol.for("pv"),Ge={},ze=[],cs=/^m(i|n|o|s|text|space)$/,gt=Array.isArray,_t=ze.slice,fe=Object.assign;function de(e){e&&e.parentNode&&e.remove()}function un(e,t,n){var o,s,a,r={},i=arguments.length;for(a in t)a=="key"?o=t[a]:a=="ref"&&typeof e!="function"?s=t[a]:r[a]=t[a];return i>2&&(r.children=i>3?_t.call(arguments,2):n),De(e,r,o,s,null)}function De(e,t,n,o,s){var a={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Me,__v:s||++rn,__i:-1,__u:0};return!s&&T.vnode&&T.vnode(a),a}function Te(e){return e.children}function ie(e,t){this.props=e,this.context=t,this.__g=0}function ce(e,t){if(t==null)return e.__&&ce(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:ce(e)}function ls(e){var t,n=e.__v,o=n.__e,s=[],a=[],r=e.__P;r&&((t=fe({constructor:Me},n)).__v=n.__v+1,T.vnode&&T.vnode(t),yt(r,t,n,e.__n,r.namespaceURI,32&n.__u?[o]:null,s,o||ce(n),32&n.__u,a),t.__v=n.__v,t.__.__k[t.__i]=t,gn(s,t,a),n.__=n.__e=null,t.__e!=o&&pn(t))}function pn(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),pn(e)}function sn(e){(8&e.__g||(e.__g|=8,re.push(e),He++))&&ft==T.debounceRendering||((ft=T.debounceRendering)||queueMicrotask)(dn)}function dn(){try{for(var e,t=1;re.length;)re.length>t&&re.sort(cn),e=re.shift(),t=re.length,8&e.__g&&ls(e)}finally{(He=re.length)&&(ft||queueMicrotask)(dn)}}function fn(e,t,n,o,s,a,r,i,u,p,l){var m,h,d,y,_,w,x=o.__k||ze,C=t.length;for(u=us(n,t,x,u,C),m=0;m<C;m++)(d=n.__k[m])!=null&&(h=~d.__i&&x[d.__i]||Ge,d.__i=m,w=yt(e,d,h,s,a,r,i,u,p,l),y=d.__e,(h.ref!=d.ref||8&h.__u)&&(h.ref&&$t(h.ref,null,d,h),d.ref&&l.push(d.ref,d.__c||y,d)),_=_||y,4&d.__u?(u=mn(d,u,e,!h.__v),h.__e&&(h.__e=null)):typeof d.type=="function"&&w!==void 0?u=w:y&&(u=y.nextSibling),d.__u&=-21);return n.__e=_,u}function us(e,t,n,o,s){var a,r,i,u,p,l,m,h,d,y=n.length,_=y,w=0,x=0,C=e.__k=Array(s);for(a=0;a<s;a++)(r=t[a])!=null&&typeof r!="boolean"&&typeof r!="function"?(typeof r!="object"||r.constructor===String?r=C[a]=De(null,r):gt(r)?r=C[a]=De(Te,{children:r}):r.constructor===Me&&r.__b?r=C[a]=De(r.type,r.props,r.key,r.ref,r.__v):C[a]=r,u=a+w,r.__=e,r.__b=e.__b+1,i=null,~(p=r.__i=ps(r,n,u,_))&&(_--,(i=n[p])&&(i.__u|=2)),i&&i.__v?(r.__u|=16,p==u-1?w--:p==u+1?w++:p!=u&&(p>u?w--:w++,x=1)):(~p||(s>y?w--:s<y&&w++),typeof r.type!="function"&&(r.__u|=4))):C[a]=null;if(x){for(l=[],m=[],a=0;a<s;a++)if((r=C[a])&&16&r.__u){for(w=0,h=l.length;w<h;)l[d=w+h>>1]<r.__i?w=d+1:h=d;l[w]=r.__i,m[a]=w+1}for(w=l.length;a--;)m[a]&&(m[a]==w?w--:C[a].__u|=4)}if(_)for(a=0;a<y;a++)!(i=n[a])||2&i.__u||(i.__e==o&&(o=ce(i)),vt(i,i));return o}function mn(e,t,n,o){var s,a,r,i;if(typeof e.type=="function"){if(e.props.__P)return t;if(s=e.__k)for(a=0;a<s.length;a++)s[a]&&(s[a].__=e,t=mn(s[a],t,n,!1));return t}for(t&&!t.parentNode&&(t=ce(e))&&!t.parentNode&&(t=null),r=e.__e,i=t;i&&i.nodeType==8;)i=i.nextSibling;for(r!=i&&(!o&&n.moveBefore&&r.parentNode?n.moveBefore(r,t):n.insertBefore(r,t||null)),t=r;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function ps(e,t,n,o){var s,a=e.key,r=e.type,i=t[n],u=i&&!(2&i.__u);if(i===null&&a==null||u&&a==i.key&&r==i.type)return n;if(o>(u?1:0)){for(s=n-1;s>=0;s--)if((i=t[s])&&!(2&i.__u)&&a==i.key&&r==i.type)return s;for(s=n+1;s<t.length;s++)if((i=t[s])&&!(2&i.__u)&&a==i.key&&r==i.type)return s}return-1}function an(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function je(e,t,n,o,s){var a,r;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||an(e.style,t);if(n)for(t in n)o&&n[t]==o[t]||an(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof o!="function"&&(o=null),(e.__e||(e.__e={}))[t]=n,n&&o||(r=mt[t]||(mt[t]=ds(t)),(e.__a||(e.__a={}))[t]=ht,a=t!=(t=t.replace(ln,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,r,a):e.removeEventListener(t,r,a));else{if(s=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function ds(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[Be]==null)t[Be]=ht++;else if(t[Be]<this.__a[e])return;return n(T.event?T.event(t):t)}}}function yt(e,t,n,o,s,a,r,i,u,p){var l,m,h,d,y,_,w,x,C,N,I,se,Fe,$e,S,on,ae,pe,J=t.type;if(t.constructor!==Me)return null;128&n.__u&&(u=32&n.__u,l=n.__c.__z)&&(t.__u|=u,m=a=[],l.nodeType==8?i=We(l,a):a.push(l),i=a[0]||i),(l=T.__b)&&l(t);e:if(typeof J=="function"){h=r.length;try{if(x=t.props,C=(l=J.prototype)&&l.render,N=(l=J.contextType)&&o[l.__c],I=l?N?N.props.value:l.__:o,(d=n.__c)?(t.__c=d,2&d.__g&&(d.__g|=1)):(C?t.__c=d=new J(x,I):(t.__c=d=new ie(x,I),d.constructor=J,d.render=ms),N&&N.sub(d),d.state||(d.state={}),d.__n=o,d.__g|=8,d.__h=[],d.__k=[]),C&&(d.__s||(d.__s=d.state),J.getDerivedStateFromProps&&(d.__s==d.state&&(d.__s=fe({},d.__s)),fe(d.__s,J.getDerivedStateFromProps(x,d.__s)))),y=d.props,_=d.state,d.__v=t,n.__c){if(x!==y&&C&&!J.getDerivedStateFromProps&&d.componentWillReceiveProps&&d.componentWillReceiveProps(x,I),t.__v==n.__v&&!(8&d.__g)||!(4&d.__g)&&d.shouldComponentUpdate&&d.shouldComponentUpdate(x,d.__s,I)===!1){t.__v!=n.__v&&(d.props=x,d.state=d.__s,d.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(G){G&&(G.__=t)}),ze.push.apply(d.__h,d.__k),d.__k=[],d.__h.length&&r.push(d),i=ce(n);break e}d.componentWillUpdate&&d.componentWillUpdate(x,d.__s,I),C&&d.componentDidUpdate&&d.__h.push(function(){d.componentDidUpdate(y,_,w)})}else C&&!J.getDerivedStateFromProps&&d.componentWillMount&&d.componentWillMount(),C&&d.componentDidMount&&d.__h.push(d.componentDidMount);d.context=I,d.props=x,d.__P=e,d.__g&=-5,se=T.__r,Fe=C?25:0;do d.__g&=-9,se&&se(t),l=d.render(d.props,d.state=d.__s,d.context);while(8&d.__g&&++Fe<25);C&&(ze.push.apply(d.__h,d.__k),d.__k=[]),d.state=d.__s,d.getChildContext&&(o=fe({},o,d.getChildContext())),C&&n.__c&&d.getSnapshotBeforeUpdate&&(w=d.getSnapshotBeforeUpdate(y,_)),$e=l&&l.type===Te&&l.key==null?l.props.children:l,x.__P&&(l=i,s=(e=x.__P).namespaceURI,u=a=null,n.props&&n.props.__P!=e&&(n.__k.some(function(G){G&&vt(G,G)}),n.__k=null),i=n.__k?ce(n,0):null),i=fn(e,gt($e)?$e:[$e],t,n,o,s,a,r,i,u,p),x.__P&&(t.__e=null,i=l),t.__u&=-161,m&&m.some(de),d.__h.length&&r.push(d),1&d.__g&&(d.__g&=-4)}catch(G){if(r.length=h,t.__v=null,u||a)if(G&&G.then){if(t.__u|=128|u,a){for(~(ae=a.indexOf(i||void 0))||(ae=a.length);(pe=a[ae-1])&&pe.nodeType==8;)ae--;for(;ae<a.length;ae++)if(pe=a[ae])if(a[ae]=null,S){if(pe==on)break}else{if(pe.nodeType!=8)break;pe.data.startsWith("$s")&&(on=We(S=pe))}}if(!S){for(;i&&i.nodeType==8&&i.nextSibling;)i=i.nextSibling;S=i}(l=We(S=t.__c.__z||(t.__c.__z=S)))?(t.__e=S,i=l):t.__e=i,i=i&&i.nextSibling}else a&&a.some(de);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),G&&G.then||hn(t),T.__e(G,t,n)}}else i=t.__e=fs(n.__e,t,n,o,s,a,r,u,p,e);return(l=T.diffed)&&l(t),i}function We(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function hn(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(hn))}function gn(e,t,n){for(var o=0;o<n.length;)$t(n[o++],n[o++],n[o++]);T.__c&&T.__c(t,e),e.some(function(s){try{e=s.__h,s.__h=[],e.some(function(a){a.call(s)})}catch(a){T.__e(a,s.__v)}})}function fs(e,t,n,o,s,a,r,i,u,p){var l,m,h,d,y,_,w,x,C=n.props||Ge,N=t.props,I=t.type;if(I=="svg"?s="http://www.w3.org/2000/svg":I=="math"?s="http://www.w3.org/1998/Math/MathML":s||(s="http://www.w3.org/1999/xhtml"),a){for(l=0;l<a.length;l++)if((y=a[l])&&(I?y.localName==I:y.nodeType==3)){e=y,a[l]=null;break}}if(!e){if(x=p.ownerDocument||document,!I)return x.createTextNode(N);e=x.createElementNS(s,I,N.is?N:p),i&&(T.__m&&T.__m(t,a),i=!1),a=null}if(I){if(p=I=="template"&&e.content||e,a=I=="textarea"&&N.defaultValue!=null?null:a&&_t.call(p.childNodes),!i&&a)for(C={},l=0;l<e.attributes.length;l++)C[(y=e.attributes[l]).name]=y.value;for(l in C)y=C[l],l=="dangerouslySetInnerHTML"?h=y:l=="children"||l in N||l=="value"&&"defaultValue"in N||l=="checked"&&"defaultChecked"in N||je(e,l,null,y,s);for(l in N)y=N[l],l=="children"?d=y:l=="dangerouslySetInnerHTML"?m=y:l=="value"?_=y:l=="checked"?w=y:i&&typeof y!="function"||C[l]===y||je(e,l,y,C[l],s);m?(i||h&&(m.__html==h.__html||m.__html==e.innerHTML)||(e.innerHTML=m.__html),t.__k=[]):(h&&(e.textContent=""),(I=="foreignObject"||s=="http://www.w3.org/1998/Math/MathML"&&cs.test(I))&&(s="http://www.w3.org/1999/xhtml"),fn(p,gt(d)?d:[d],t,n,o,s,a,r,a?a[0]:n.__k&&ce(n,0),i,u),a&&a.some(de)),i&&I!="textarea"||(l="value",I=="progress"&&_==null?e.removeAttribute(l):_==null||_===e[l]&&(I!="progress"||_)||je(e,l,_,C[l],s),l="checked",w!=null&&w!=e[l]&&je(e,l,w,C[l],s))}else C===N||i&&e.data==N||(e.data=N);return e}function $t(e,t,n,o){try{typeof e=="function"?t?t.__x=e(t)||1:o&&(o=o.__c||o.__e)&&(t=o.__x)&&(o.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(s){T.__e(s,n)}}function vt(e,t,n){var o,s,a,r;if(T.unmount&&T.unmount(e),!(o=e.ref)||o.current&&o.current!=e.__e||$t(o,null,t,e),o=e.__c){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(i){T.__e(i,t)}o.__P=o.__n=null}if(o=e.__k)for(r=0;r<o.length;r++)o[r]&&vt(o[r],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(o=e.__c)&&(o=o.__z)&&(s=We(o,a=[]))&&(o==e.__e&&a.some(de),de(s),de(o)),n||de(e.__e),e.__e=e.__c=e.__=null}function ms(e,t,n){return this.constructor(e,n)}function bt(e,t){var n,o,s,a;T.__&&T.__(e,t),t.nodeType==9&&(t=t.documentElement),o=(n=e&&32&e.__u)?null:t.__k,t.__k=De(Te,{children:[e]}),s=[],a=[],yt(t,t.__k,o||Ge,Ge,t.namespaceURI,o?null:t.firstChild?_t.call(t.childNodes):null,s,o?o.__e:t.firstChild,n,a),gn(s,t.__k,a),t.__k.props.children=null}T={__e:function(e,t,n,o){for(var s,a,r;t=t.__;)if((s=t.__c)&&!(1&s.__g)){s.__g|=4;try{if((r=(a=s.constructor)&&a.getDerivedStateFromError)&&s.setState(a.getDerivedStateFromError(e)),s.componentDidCatch&&(s.componentDidCatch(e,o||{}),r=1),r&&8&s.__g)return void(s.__g|=2)}catch(i){e=i}}throw He=0,e}},rn=0,rs=function(e){return e!=null&&e.constructor===Me},ie.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=fe({},this.state)),typeof e=="function"&&(e=e(fe({},n),this.props)),e&&(fe(n,e),this.__v&&(t&&this.__k.push(t),sn(this)))},ie.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),sn(this))},ie.prototype.render=Te,re=[],He=0,cn=function(e,t){return e.__v.__b-t.__v.__b},Be=Symbol(),ln=/(PointerCapture)$|Capture$/i,ht=0,mt={},is=0;var yn=function(e,t,n,o){var s;t[0]=0;for(var a=1;a<t.length;a++){var r=t[a++],i=t[a]?(t[0]|=r?1:2,n[t[a++]]):t[++a];r===3?o[0]=i:r===4?o[1]=Object.assign(o[1]||{},i):r===5?(o[1]=o[1]||{})[t[++a]]=i:r===6?o[1][t[++a]]+=i+"":r?(s=e.apply(i,yn(e,i,n,["",null])),o.push(s),i[0]?t[0]|=2:(t[a-2]=0,t[a]=s)):o.push(i)}return o},_n=new Map;function $n(e){var t=_n.get(this);return t||(t=new Map,_n.set(this,t)),(t=yn(this,t.get(e)||(t.set(e,t=(function(n){for(var o,s,a=1,r="",i="",u=[0],p=function(h){a===1&&(h||(r=r.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?u.push(0,h,r):a===3&&(h||r)?(u.push(3,h,r),a=2):a===2&&r==="..."&&h?u.push(4,h,0):a===2&&r&&!h?u.push(5,0,!0,r):a>=5&&((r||!h&&a===5)&&(u.push(a,0,r,s),a=6),h&&(u.push(a,h,0,s),a=6)),r=""},l=0;l<n.length;l++){l&&(a===1&&p(),p(l));for(var m=0;m<n[l].length;m++)o=n[l][m],a===1?o==="<"?(p(),u=[u],a=3):r+=o:a===4?r==="--"&&o===">"?(a=1,r=""):r=o+r[0]:i?o===i?i="":r+=o:o==='"'||o==="'"?i=o:o===">"?(p(),a=1):a&&(o==="="?(a=5,s=r,r=""):o==="/"&&(a<5||n[l][m+1]===">")?(p(),a===3&&(u=u[0]),a=u,(u=u[0]).push(2,0,a),a=0):o===" "||o==="	"||o===`
`||o==="\r"?(p(),a=2):r+=o),a===3&&r==="!--"&&(a=4,u=u[0])}return p(),u})(e)),t),arguments,[])).length>1?t:t[0]}var ve,A,wt,vn,kt=Object.is,Ie=0,Tn=[],xt=[],q=T,bn=q.__b,wn=q.__r,kn=q.diffed,xn=q.__c,Cn=q.unmount,Sn=q.__;function Ye(e,t){q.__h&&q.__h(A,e,Ie||t),Ie=0;var n=A.__H||(A.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function g(e){return Ie=1,Qe(Pn,e)}function Qe(e,t,n){var o=Ye(ve++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):Pn(void 0,t),function(a){var r=(o.__N||o.__)[0],i=o.t(r,a);kt(r,i)||(o.__N=[i,o.__[1]],o.__c.setState({}))}],o.__c=A,!A.__f)){A.__f=!0;var s=A.shouldComponentUpdate;A.shouldComponentUpdate=function(a,r,i){var u=this.__H;if(!u)return!0;var p=!1,l=this.props!=a;if(u.__.some(function(h){h.__N&&(p=!0,kt(h.__[0],h.__N[0])||(l=!0))}),s){var m=s.call(this,a,r,i);return p?m||l:m}return!p||l}}return o.__}function D(e,t){var n=Ye(ve++,3);!q.__s&&Dt(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,A.__H.__h.push(n))}function Re(e,t){var n=Ye(ve++,4);!q.__s&&Dt(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,A.__h.push(n))}function F(e){return Ie=5,St(function(){return{current:e}},[])}function St(e,t){var n=Ye(ve++,7);return Dt(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function Ve(e,t){return Ie=8,St(function(){return e},t)}function hs(){var e;do{for(;e=xt.shift();)try{Pe(e)}catch(n){q.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=Tn.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Pe),t.__h.some(Ct),t.__h=[]}catch(n){t.__h=[],q.__e(n,e.__v)}}}while(xt.length)}q.__b=function(e){A=null,bn&&bn(e)},q.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Sn&&Sn(e,t)},q.__r=function(e){wn&&wn(e),ve=0;var t=(A=e.__c).__H;t&&(wt==A?A.__h=[]:(t.__h.some(Pe),t.__h.some(Ct),ve=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),wt=A},q.diffed=function(e){kn&&kn(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&Mn(Tn.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),wt=A=null},q.__c=function(e,t){t.some(function(n){try{n.__h.some(Pe),n.__h=n.__h.filter(function(o){return!o.__||Ct(o)})}catch(o){n.__h=[function(){throw o}]}}),xn&&xn(e,t)},q.unmount=function(e){Cn&&Cn(e);var t,n,o=e.__c;o&&o.__H&&(o.__H.__.some(function(s){try{if(s.__P&&s.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}s.__P=n,Mn(xt.push(s))}else Pe(s)}catch(a){t=a}}),o.__H=void 0,t&&q.__e(t,o.__v))};var Dn=typeof requestAnimationFrame=="function";function gs(e){var t,n=function(){clearTimeout(o),Dn&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);Dn&&(t=requestAnimationFrame(n))}function Mn(e){e!=1&&vn==q.requestAnimationFrame||((vn=q.requestAnimationFrame)||gs)(hs)}function Pe(e){var t=A,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),A=t}function Ct(e){var t=A;e.__c=e.__(),A=t}function Dt(e,t){return!e||e.length!=t.length||t.some(function(n,o){return!kt(n,e[o])})}function Pn(e,t){return typeof t=="function"?t(e):t}var c=$n.bind(un);function In(e){class t extends ie{shouldComponentUpdate(o){let s=this.props;for(let a in s)if(s[a]!==o[a])return!0;for(let a in o)if(!(a in s))return!0;return!1}render(o){return e(o)}}return t.displayName=e.name,t}var X=class extends Error{constructor(t,n,o){super(o||"request failed ("+t+")"),this.status=t,this.code=n||""}},Mt=()=>{};function Rn(e){Mt=e}async function Ln(e){let t=null;try{t=await e.json()}catch{t=null}return e.status===401&&Mt(),new X(e.status,t&&t.code,t&&t.error)}async function le(e,t,n){let o={method:e,headers:{},credentials:"same-origin"};n!==void 0&&(o.headers["Content-Type"]="application/json",o.body=JSON.stringify(n));let s;try{s=await fetch(t,o)}catch{throw new X(0,"network","the daemon does not answer: is `pigeon daemon` still running?")}if(!s.ok)throw await Ln(s);return s.status===204||s.status===202?null:(s.headers.get("Content-Type")||"").includes("json")?s.json():s.text()}var M=e=>le("GET",e),P=(e,t)=>le("POST",e,t),U=(e,t)=>le("PUT",e,t),Tt=(e,t)=>le("PATCH",e,t),B=e=>le("DELETE",e),j=encodeURIComponent;function Pt(e,t,n){let o=e.slice(2),s=e.startsWith("g:")?"/v1/groups/"+o:"/v1/conversations/"+o,a="?limit="+n;return t&&(a+="&before="+t),s+"/messages"+a}function qn({key:e,file:t,caption:n,onProgress:o}){let s=new URLSearchParams;s.set(e.startsWith("g:")?"group":"to",e.slice(2)),t.name&&s.set("name",t.name),t.type&&s.set("mime",t.type),n&&s.set("caption",n);let a=new XMLHttpRequest;return{promise:new Promise((i,u)=>{a.open("POST","/v1/media?"+s.toString()),a.responseType="json",a.upload.onprogress=p=>o&&o(p.loaded,p.lengthComputable?p.total:t.size),a.onload=()=>{let p=a.response;if(a.status===201&&p&&p.id){i(p.id);return}a.status===401&&Mt(),u(new X(a.status,p&&p.code,p&&p.error))},a.onerror=()=>u(new X(0,"network","the upload was cut off: is the daemon still running?")),a.onabort=()=>u(new X(0,"aborted","upload cancelled")),a.send(t)}),abort:()=>a.abort()}}var be=e=>"/v1/media/"+e+"/content",It=e=>"/v1/media/"+e+"/thumbnail",me=e=>"/v1/qr.svg?text="+j(e);async function Nn(e){let t=await fetch("/v1/qr/decode",{method:"POST",credentials:"same-origin",headers:{"Content-Type":e.type||"application/octet-stream"},body:e});if(!t.ok)throw await Ln(t);return(await t.json()).text}function Rt(e,t){let n=document.createElement("a");n.href=be(e),n.download=t||"",n.rel="noopener",document.body.append(n),n.click(),n.remove()}var he=e=>"p:"+e,we=e=>"g:"+e,ke=e=>e.group?we(e.group):he(e.peer),ge=e=>(e.startsWith("g:")?"/group/":"/chat/")+e.slice(2),W=e=>e?e.slice(0,12)+"…":"",Lt=new Intl.DateTimeFormat(void 0,{hour:"2-digit",minute:"2-digit"}),An=new Intl.DateTimeFormat(void 0,{weekday:"long"}),_s=new Intl.DateTimeFormat(void 0,{year:"numeric",month:"short",day:"numeric"}),ys=new Intl.DateTimeFormat(void 0,{month:"short",day:"numeric"}),En=e=>e?Date.parse(e):0,Un=e=>e?Lt.format(new Date(e)):"";function Ke(e){return new Date(e.getFullYear(),e.getMonth(),e.getDate()).getTime()}function qt(e){let t=new Date(e);return t.getFullYear()*1e4+t.getMonth()*100+t.getDate()}function Le(e,t=Date.now()){let n=new Date(e),o=Math.round((Ke(new Date(t))-Ke(n))/864e5);return o===0?"Today":o===1?"Yesterday":o>1&&o<7?An.format(n):_s.format(n)}function Je(e,t=Date.now()){if(!e)return"";let n=new Date(e),o=Math.round((Ke(new Date(t))-Ke(n))/864e5);return o===0?Lt.format(n):o===1?"Yesterday":o>1&&o<7?An.format(n):ys.format(n)}function Xe(e,t=Date.now()){if(!e)return"";let n=Le(e,t),o=Lt.format(new Date(e));return n==="Today"?"last seen today at "+o:n==="Yesterday"?"last seen yesterday at "+o:"last seen "+n+" at "+o}function Z(e){if(e==null)return"";if(e<1024)return e+" B";let t=["KB","MB","GB","TB"],n=e/1024,o=0;for(;n>=1024&&o<t.length-1;)n/=1024,o++;return(n<10?n.toFixed(1):Math.round(n))+" "+t[o]}var Nt=(e,t)=>t>0?Math.min(100,Math.floor(e*100/t)):0,On=e=>(e||"?").trim().slice(0,1).toUpperCase()||"?";function z(...e){return e.filter(Boolean).join(" ")}var $s=/pgi[a-z2-7]{160}/,vs=/pg[a-z2-7]{58}(?![a-z2-7])/;function Ze(e){let t=(e||"").trim(),n=t.toLowerCase(),o=n.match($s);if(o)return{kind:"invite",link:o[0]};let s=n.match(vs);if(!s)return null;let a="",r=t.indexOf("?");if(r>=0)try{a=new URLSearchParams(t.slice(r+1)).get("name")||""}catch{a=""}return{kind:"account",account:s[0],name:a}}function Fn(e,t){return"pigeon:"+e+(t?"?name="+encodeURIComponent(t):"")}var jn=e=>(e||"").replace(/(\d{5})(?=\d)/g,"$1 ");var tt=50,f={boot:"loading",bootError:"",me:null,conn:"connecting",convs:[],contacts:new Map,groups:new Map,presence:new Map,typing:new Map,progress:new Map,uploads:[],chats:new Map,open:"",identity:new Map,storageFull:!1,autoDownload:null,devices:null,linkOffer:null,linkRequest:null,historySync:null,setup:null,setupDown:"",toasts:[],visible:document.visibilityState==="visible",profiles:new Map,requests:[],blocked:new Set,myProfile:null},qe=new Set,At=!1;function b(){At||(At=!0,queueMicrotask(()=>{At=!1;for(let e of qe)e()}))}function Yn(e){return qe.add(e),()=>qe.delete(e)}function bs(e,t){if(Object.is(e,t))return!0;if(!e||!t||typeof e!="object"||typeof t!="object")return!1;let n=Object.keys(e);if(n.length!==Object.keys(t).length)return!1;for(let o of n)if(!Object.is(e[o],t[o]))return!1;return!0}function v(e){let[,t]=Qe(s=>s+1,0),n=F(null),o=e(f);return n.current={sel:e,val:o},Re(()=>{let s=()=>{let a=n.current;bs(a.sel(f),a.val)||t()};return qe.add(s),s(),()=>qe.delete(s)},[]),o}var ws=0;function R(e,t="info"){let n=++ws;f.toasts=[...f.toasts,{id:n,text:e,kind:t}],b(),setTimeout(()=>Ft(n),t==="error"?8e3:4e3)}function Ft(e){f.toasts=f.toasts.filter(t=>t.id!==e),b()}function k(e){e instanceof X&&e.status===401||R(e&&e.message?e.message:String(e),"error")}function Y(e){if(!e)return"";if(f.me&&e===f.me.account)return"You";let t=f.contacts.get(e),n=f.profiles.get(e);return t&&t.name||n&&n.name||W(e)}function Q(e){if(e.startsWith("g:")){let o=f.groups.get(e.slice(2));return o&&o.name||"Group "+e.slice(2,10)}let t=f.contacts.get(e.slice(2));if(t&&t.name)return t.name;let n=f.convs.find(o=>o.key===e);return n&&n.name||W(e.slice(2))}async function V(){let e=await M("/v1/contacts");f.contacts=new Map(e.map(t=>[t.account,t]));for(let t of e)if(t.identity_changed_at&&!f.identity.has(t.account)&&(f.identity=new Map(f.identity).set(t.account,{account:t.account,at:t.identity_changed_at})),!t.identity_changed_at&&f.identity.has(t.account)){let n=new Map(f.identity);n.delete(t.account),f.identity=n}b()}async function nt(){let e=await M("/v1/groups");f.groups=new Map(e.map(t=>[t.id,t])),b()}async function K(e){try{let t=await M("/v1/groups/"+e);f.groups=new Map(f.groups).set(e,t)}catch(t){if(t.status===404){let n=new Map(f.groups);n.delete(e),f.groups=n}else throw t}b()}function ks(e){return{key:e.group?we(e.group):he(e.peer),peer:e.peer||"",group:e.group||"",name:e.name||e.profile_name||"",avatar:e.avatar_url||"",last:e.last,unread:e.unread}}var Qn=0,Vn=new Map;async function ue(){let e=Qn,n=(await M("/v1/conversations")).map(ks);for(let s of n)(Vn.get(s.key)||0)>e&&(s.unread=0);let o=new Set(n.map(s=>s.key));for(let s of f.groups.values()){let a=we(s.id);!o.has(a)&&s.status==="active"&&n.push({key:a,peer:"",group:s.id,name:s.name,last:null,unread:0})}f.convs=n,b();for(let s of n.slice(0,30))s.peer&&!f.presence.has(s.peer)&&Kn(s.peer)}var Bn=0;function te(){clearTimeout(Bn),Bn=setTimeout(()=>ue().catch(()=>{}),300)}var Et=new Set;async function Kn(e){if(!Et.has(e)){Et.add(e);try{let t=await M("/v1/presence/"+e);f.presence=new Map(f.presence).set(e,t),b()}catch{}finally{Et.delete(e)}}}async function jt(){f.autoDownload=await M("/v1/media-settings/auto-download"),b()}async function ot(){await Promise.all([V(),nt(),jt().catch(()=>{})]),await ue();let e=f.open;f.chats=new Map,f.boot="ready",b(),e&&await Bt(e)}function xs(e){return{key:e,msgs:[],ids:new Set,hasOlder:!0,loading:!1,ready:!1}}function ee(e){f.chats.set(e.key,e),b()}async function Bt(e){f.open=e,b();let t=f.chats.get(e);if(!t||!t.ready){t=xs(e),t.loading=!0,ee(t);try{let n=await M(Pt(e,"",tt)),o=f.chats.get(e),s=n.slice(),a=new Set(n.map(r=>r.id));for(let r of o.msgs)a.has(r.id)||(s.push(r),a.add(r.id));ee({...o,msgs:s,ids:a,hasOlder:n.length===tt,loading:!1,ready:!0})}catch(n){ee({...f.chats.get(e),loading:!1}),k(n)}}e.startsWith("p:")&&Kn(e.slice(2)),Ae(e)}function Jn(){f.open="",b()}async function Xn(e){let t=f.chats.get(e);if(!t||!t.ready||t.loading||!t.hasOlder)return 0;ee({...t,loading:!0});try{let n=t.msgs.length?t.msgs[0].id:"",o=await M(Pt(e,n,tt)),s=f.chats.get(e),a=o.filter(r=>!s.ids.has(r.id));for(let r of a)s.ids.add(r.id);return ee({...s,msgs:a.concat(s.msgs),hasOlder:o.length===tt,loading:!1}),a.length}catch(n){return ee({...f.chats.get(e),loading:!1}),k(n),0}}var Wn={pending:0,failed:0,sent:1,received:1,delivered:2,read:3};function Ne(e,{incoming:t=!1}={}){let n=ke(e),o=f.chats.get(n);if(o&&!o.ids.has(e.id))o.ids.add(e.id),ee({...o,msgs:o.msgs.concat([e])});else if(o){let u=o.msgs.findLast(p=>p.id===e.id);u&&(Wn[e.state]??0)>(Wn[u.state]??0)&&xe(e.id,p=>({...p,state:e.state,pending:void 0}))}let s=f.convs.findIndex(u=>u.key===n),a=s>=0?f.convs[s]:null;if(a&&a.last&&a.last.id===e.id)return;let r=(a?a.unread:0)+(t&&!(f.open===n&&f.visible)?1:0),i={key:n,peer:e.peer||"",group:e.group||"",name:a&&a.name||e.peer_name||e.group_name||"",last:e,unread:r};f.convs=[i,...f.convs.filter(u=>u.key!==n)],b(),!a&&e.group&&!f.groups.has(e.group)&&K(e.group).catch(()=>{})}function xe(e,t){let n=!1;for(let s of f.chats.values()){if(!s.ids.has(e))continue;let a=s.msgs.findLastIndex(i=>i.id===e);if(a<0)continue;let r=s.msgs.slice();r[a]=t(r[a]),ee({...s,msgs:r}),n=!0}let o=f.convs.findIndex(s=>s.last&&s.last.id===e);if(o>=0){let s=f.convs.slice();s[o]={...s[o],last:t(s[o].last)},f.convs=s,n=!0}return n&&b(),n}var Ut=new Set;async function Zn(e){for(let t of f.chats.values())if(t.ids.has(e))return;if(!Ut.has(e)){Ut.add(e);try{Ne(await M("/v1/messages/"+e))}catch{}finally{Ut.delete(e)}}}var Ot=new Map,Hn=new Set;function Ae(e){if(!e||e!==f.open||!f.visible)return;let t=f.convs.find(r=>r.key===e),n=f.chats.get(e),o=n?n.msgs.filter(r=>r.direction==="in"&&r.state==="received").map(r=>r.id):[];if((!t||!t.unread)&&!o.length)return;if(Ot.has(e)){Hn.add(e);return}let s=new Set(o),a=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/read":"/v1/conversations/"+e.slice(2)+"/read";Ot.set(e,!0),P(a).then(()=>{Vn.set(e,++Qn),f.convs=f.convs.map(i=>i.key===e?{...i,unread:0}:i);let r=f.chats.get(e);r&&ee({...r,msgs:r.msgs.map(i=>s.has(i.id)&&i.state==="received"?{...i,state:"read"}:i)}),b()}).catch(k).finally(()=>{Ot.delete(e),Hn.delete(e)&&Ae(e)})}function eo(e){f.visible=e,b(),e&&Ae(f.open)}async function to(e,t){let n=e.slice(2),o=e.startsWith("g:")?await P("/v1/groups/"+n+"/messages",{text:t}):await P("/v1/messages",{to:n,text:t}),s=await M("/v1/messages/"+o.id);return Ne(s),s}var Cs=0;async function no(e,t,n){let o=++Cs,s=t.type.startsWith("image/")?URL.createObjectURL(t):"",a=qn({key:e,file:t,caption:n,onProgress:r=>{f.uploads=f.uploads.map(i=>i.uid===o?{...i,loaded:r}:i),b()}});f.uploads=[...f.uploads,{uid:o,key:e,name:t.name,size:t.size,loaded:0,error:"",abort:a.abort,preview:s}],b();try{let r=await a.promise,i=await M("/v1/messages/"+r);Ne(i),f.uploads=f.uploads.filter(u=>u.uid!==o)}catch(r){r.code==="aborted"?f.uploads=f.uploads.filter(i=>i.uid!==o):f.uploads=f.uploads.map(i=>i.uid===o?{...i,error:r.message}:i),r.code!=="aborted"&&k(r)}finally{s&&setTimeout(()=>URL.revokeObjectURL(s),6e4),b()}}function oo(e){f.uploads=f.uploads.filter(t=>t.uid!==e),b()}var et=0,Gn=0;function st(e,t){let n=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/typing":"/v1/conversations/"+e.slice(2)+"/typing";clearTimeout(Gn);let o=Date.now();if(t){if(Gn=setTimeout(()=>st(e,!1),5e3),o-et<3e3)return;et=o}else{if(!et)return;et=0}P(n,{active:t}).catch(()=>{})}async function Wt(e){try{await P("/v1/media/"+e+"/fetch"),xe(e,t=>t.media?{...t,media:{...t.media,state:"fetching",error:""}}:t)}catch(t){k(t)}}function so(e){f.progress=new Map(f.progress).set(e.id,{phase:e.phase,done:e.done||0,total:e.total||0,direction:e.direction}),b()}function ao(e){if(xe(e.id,t=>t.media?{...t,media:{...t.media,state:e.state,error:e.error||"",retry_until:e.retry_until||""}}:t),e.state!=="fetching"&&f.progress.has(e.id)){let t=new Map(f.progress);t.delete(e.id),f.progress=t,b()}}var zn=0;function ro(){let e=Date.now(),t=1/0,n=!1,o=new Map;for(let[s,a]of f.typing){let r=new Map;for(let[i,u]of a)u>e?(r.set(i,u),t=Math.min(t,u)):n=!0;r.size&&o.set(s,r)}n&&(f.typing=o,b()),clearTimeout(zn),t!==1/0&&(zn=setTimeout(ro,t-e+50))}function Ht(e,t,n,o){let s=new Map(f.typing),a=new Map(s.get(e)||[]);n?a.set(t,En(o)||Date.now()+6e3):a.delete(t),a.size?s.set(e,a):s.delete(e),f.typing=s,b(),ro()}function io(e){let t=f.presence.get(e.account)||{};f.presence=new Map(f.presence).set(e.account,{...t,account:e.account,state:e.state,last_seen:e.last_seen||t.last_seen}),b()}async function Gt(e,t){await U("/v1/contacts/"+j(e),t?{name:t}:{}),await V(),te()}async function co(e){await P("/v1/contacts/"+j(e)+"/verify");let t=new Map(f.identity);t.delete(e),f.identity=t,await V()}async function lo(e,t,n){let o=await P("/v1/groups",{name:e,description:t,members:n});return f.groups=new Map(f.groups).set(o.id,o),await ue(),o}async function at(e){let t=await P("/v1/groups/join",{link:e});return await nt(),await ue(),t}var rt=new Set;function O(e,{replace:t=!1}={}){if(e!==location.pathname){t?history.replaceState(null,"",e):history.pushState(null,"",e);for(let n of rt)n()}}window.addEventListener("popstate",()=>{for(let e of rt)e()});function uo(e=location.pathname){let t=e.split("/").filter(Boolean),[n,o,s]=t;return(n==="chat"||n==="group")&&o?{name:"chat",key:(n==="group"?"g:":"p:")+o,info:s==="info"}:n==="contacts"||n==="me"||n==="settings"||n==="requests"?{name:n}:{name:"home"}}function po(){let[e,t]=g(()=>uo());return D(()=>{let n=()=>t(uo());return rt.add(n),()=>rt.delete(n)},[]),e}function L(e){if(e.defaultPrevented||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;let t=e.currentTarget;e.preventDefault(),O(t.getAttribute("href"))}var zt=()=>"Notification"in window,it=()=>zt()?Notification.permission:"unsupported";async function ct(){return zt()?Notification.requestPermission():"unsupported"}function mo(e){if(!document.hidden||!zt()||Notification.permission!=="granted")return;let t=ke(e),n=Q(t),o=e.group?Y(e.sender)+" in "+n:n,s=e.media?"📎 "+(e.text||e.media.name||"a file"):e.text;try{let a=new Notification(o,{body:s.slice(0,200),tag:t,icon:document.querySelector("link[rel=icon]").href});a.onclick=()=>{window.focus(),O(ge(t)),a.close()}}catch{}}var fo="";function ho(){let e=0;for(let n of f.convs)e+=n.unread||0;let t=e>0?"("+e+") Pigeon":"Pigeon";t!==fo&&(fo=t,document.title=t)}var $=({name:e,label:t,class:n})=>t?c`<span class=${z("icon","i-"+e,n)} role="img" aria-label=${t}></span>`:c`<span class=${z("icon","i-"+e,n)} aria-hidden="true"></span>`;function H({name:e,online:t,small:n,group:o,src:s}){return c`<span class=${z("avatar",n&&"small")} aria-hidden="true">
    ${o?c`<${$} name="group" />`:s?c`<img class="avatar-img" src=${s} alt="" />`:On(e)}
    ${t&&c`<span class="dot"></span>`}
  </span>`}var Ss=0;function E({title:e,onClose:t,children:n,actions:o,class:s,label:a}){let r=F(null),i=F("dlg"+ ++Ss).current;return Re(()=>{let u=r.current,p=document.activeElement;return u.open||u.showModal(),()=>{u.open&&u.close(),p&&p.focus&&document.contains(p)&&p.focus()}},[]),c`<dialog
    ref=${r}
    class=${s}
    aria-labelledby=${a?void 0:i}
    aria-label=${a}
    onCancel=${u=>{u.preventDefault(),t()}}
  >
    <header class="bar">
      <h2 id=${i}>${e}</h2>
      <button type="button" class="icon-btn" aria-label="Close" onClick=${t}><${$} name="close" /></button>
    </header>
    <div class="dialog-body">${n}</div>
    ${o&&c`<div class="dialog-actions">${o}</div>`}
  </dialog>`}function _e(){let e=F(null);return D(()=>{e.current&&e.current.focus()},[]),e}async function Ee(e){try{return await navigator.clipboard.writeText(e),!0}catch{return!1}}async function Ce(){f.devices=await M("/v1/devices"),b()}var lt=e=>(e||0).toLocaleString("en-US");function Ds(e){let t=f.devices&&f.devices.devices.find(n=>n.id===e);return t&&t.name||"device "+e}function go(e){f.linkRequest=e,b()}function _o(e){f.linkOffer=null,f.linkRequest&&f.linkRequest.peer_id===e.peer_id&&(f.linkRequest=null),b(),R("Linked "+(e.name||"a new device")+". It is getting your history now."),Ce().catch(()=>{})}function yo(){Ce().catch(()=>{})}function $o(e){f.historySync=e,b()}function Ms(e){return e.this?"":e.online?"online":e.last_seen?Xe(e.last_seen):"not seen since it was linked"}function Ts(e,t){let n=Math.max(0,Math.round((Date.parse(e)-t)/1e3));return Math.floor(n/60)+":"+String(n%60).padStart(2,"0")}function Ps({offer:e,onAgain:t}){let[n,o]=g(Date.now());return D(()=>{let s=setInterval(()=>o(Date.now()),1e3);return()=>clearInterval(s)},[]),Date.parse(e.expires)<=n?c`<div class="link-offer expired">
      <p>The link code expired.</p>
      <button type="button" class="btn" onClick=${t}>Make a new code</button>
    </div>`:c`<div class="link-offer">
    <p>On the new device run <code>pigeon init --link CODE</code> with this code, or scan it. It works once; keep it to yourself.</p>
    <img class="qr" src=${me(e.qr_text)} alt="QR code of the link code" width="220" height="220" />
    <textarea class="mono link-code" readonly rows="4" aria-label="Link code" value=${e.code} onFocus=${s=>s.target.select()}></textarea>
    <p class="muted" data-expires=${e.expires}>Expires in ${Ts(e.expires,n)}</p>
    <button type="button" class="btn withdraw-link" onClick=${()=>Is(e)}>Cancel</button>
  </div>`}async function Is(e){try{await le("DELETE","/v1/devices/link",{code:e.code})}catch(t){k(t)}f.linkOffer=null,b()}function Rs({d:e,holdsKey:t}){let[n,o]=g(!1),[s,a]=g(e.name),r=async p=>{p.preventDefault();try{await U("/v1/devices/"+e.id,{name:s.trim()}),o(!1),await Ce()}catch(l){k(l)}},i=()=>{a(e.name),o(!0)},u=async()=>{if(confirm("Revoke "+(e.name||"device "+e.id)+"? It stops receiving your messages, and what it sends is no longer accepted. Link it again to use it."))try{await B("/v1/devices/"+e.id),R("Revoked "+(e.name||"device "+e.id)+"."),await Ce()}catch(p){k(p)}};return n?c`<li data-device=${e.id}>
      <form class="row grow" onSubmit=${r}>
        <input type="text" class="grow" aria-label="Device name" value=${s} maxlength="64" onInput=${p=>a(p.target.value)} />
        <button type="submit" class="btn" disabled=${!s.trim()}>Save</button>
        <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
      </form>
    </li>`:c`<li data-device=${e.id}>
    <span class="grow">
      <span class="device-name">${e.name||"Device "+e.id}</span>
      ${e.this&&c` <span class="role">this device</span>`}
      <div class="relay-stats">${[e.platform,Ms(e),"added "+Le(e.added_at).toLowerCase()].filter(Boolean).join(" · ")}</div>
    </span>
    <button type="button" class="btn" onClick=${i} aria-label=${"Rename "+(e.name||"device "+e.id)}>Rename</button>
    ${t&&!e.this&&c`<button type="button" class="btn danger" onClick=${u} aria-label=${"Revoke "+(e.name||"device "+e.id)}>Revoke</button>`}
  </li>`}function Ls(){let e=v(n=>n.historySync);if(v(n=>n.devices),!e)return null;let t=Ds(e.device);return e.error?c`<p class="history-sync error-text" role="status">Syncing history from ${t} stopped at ${lt(e.done)} (${e.error}); it goes on when the devices meet again.</p>`:(e.done||0)>=(e.total||0)?c`<p class="history-sync muted" role="status">History synced from ${t}: ${lt(e.total)} changes.</p>`:c`<p class="history-sync" role="status">Syncing history from ${t}: ${lt(e.done)} of ${lt(e.total)}</p>`}function vo(){let e=v(o=>o.devices),t=v(o=>o.linkOffer);D(()=>{Ce().catch(k);let o=setInterval(()=>Ce().catch(()=>{}),3e4);return()=>clearInterval(o)},[]);let n=async()=>{try{f.linkOffer=await P("/v1/devices/link"),b()}catch(o){k(o)}};return c`<div class="card devices">
    <h3>Devices</h3>
    <p class="muted">Your account on other devices: each gets your history and everything you send, receive and read.</p>
    <ul class="list">
      ${(e?e.devices:[]).map(o=>c`<${Rs} key=${o.id+":"+o.name} d=${o} holdsKey=${e.holds_account_key} />`)}
    </ul>
    <${Ls} />
    ${e&&(e.holds_account_key?t?c`<${Ps} offer=${t} onAgain=${n} />`:c`<button type="button" class="btn link-device" onClick=${n}>Link a device</button>`:c`<p class="muted">This device does not hold the account key: link and revoke devices on the one that does.</p>`)}
  </div>`}function bo(){let e=v(n=>n.linkRequest);if(!e)return null;let t=async n=>{f.linkRequest=null,b();try{await P("/v1/devices/link-requests/"+e.id,{accept:n}),n||R("The device was not linked.")}catch(o){k(o)}};return c`<${E}
    title="Link a new device?"
    class="link-request"
    onClose=${()=>t(!1)}
    actions=${c`<button type="button" class="btn" onClick=${()=>t(!1)}>Cancel</button>
      <button type="button" class="btn primary confirm-link" onClick=${()=>t(!0)}>They match, link it</button>`}
  >
    <p><strong class="device-name">${e.name}</strong>${e.platform?" ("+e.platform+")":""} asks to join your account.</p>
    <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
    <p>Check that the new device shows the same six digits. If it does not, cancel: someone else has your link code.</p>
  <//>`}var qs=49152;async function ne(){let[e,t,n,o]=await Promise.all([M("/v1/profiles").catch(()=>[]),M("/v1/requests").catch(()=>[]),M("/v1/blocked").catch(()=>[]),M("/v1/profile").catch(()=>null)]);f.profiles=new Map(e.map(s=>[s.account,s])),f.requests=t,f.blocked=new Set(n.map(s=>s.account)),f.myProfile=o,b()}function ko(e){switch(e.type){case"profile_changed":case"blocked_changed":case"request_received":case"request_changed":return ne().catch(()=>{}),V().then(te).catch(()=>{}),!0}return!1}async function Ns(e){let t=await createImageBitmap(e),n=Math.min(1,256/Math.max(t.width,t.height)),o=document.createElement("canvas");o.width=Math.max(1,Math.round(t.width*n)),o.height=Math.max(1,Math.round(t.height*n)),o.getContext("2d").drawImage(t,0,0,o.width,o.height);for(let s of[.9,.8,.6,.4]){let a=await new Promise(r=>o.toBlob(r,"image/jpeg",s));if(a&&a.size<=qs)return a}throw new Error("the picture does not fit 48 KiB even small: try another one")}async function As(e){let t=await fetch("/v1/profile/avatar",{method:"PUT",body:e,credentials:"same-origin",headers:{"Content-Type":e.type}});if(!t.ok){let n=await t.json().catch(()=>({}));throw new Error(n.message||"the daemon refused the picture")}}function xo(){let e=v(r=>r.myProfile),[t,n]=g(e?e.name:"");D(()=>n(e?e.name:""),[e&&e.name]);let o=async r=>{r.preventDefault();try{await U("/v1/profile",{name:t}),await ne(),R("Profile saved: your contacts and groups get it.")}catch(i){k(i)}},s=async r=>{let i=r.target.files&&r.target.files[0];if(r.target.value="",!!i)try{await As(await Ns(i)),await ne()}catch(u){k(u)}},a=async()=>{try{await B("/v1/profile/avatar"),await ne()}catch(r){k(r)}};return c`<div class="card profile-card">
    <h3>Profile</h3>
    <p class="muted">Your name and picture, end-to-end encrypted to your contacts and groups.</p>
    <div class="row">
      <${H} name=${t||"?"} src=${e&&e.has_avatar?e.avatar_url:""} />
      <label class="btn">Choose picture<input type="file" accept="image/*" class="sr-only" onChange=${s} aria-label="Choose a profile picture" /></label>
      ${e&&e.has_avatar&&c`<button type="button" class="btn" onClick=${a}>Remove picture</button>`}
    </div>
    <form class="row" onSubmit=${o}>
      <label class="field grow"><span>Display name</span><input type="text" maxlength="64" value=${t} onInput=${r=>n(r.target.value)} id="profile-name" /></label>
      <button class="btn primary" type="submit">Save</button>
    </form>
  </div>`}function Co(){let e=v(t=>t.requests||[]);return e.length?c`<a href="/requests" class="requests-entry" onClick=${L} id="requests-entry">
    <${$} name="person-add" /> <span class="grow">Message requests</span><span class="badge">${e.length}</span>
  </a>`:null}function wo(e){return e.profile_name||e.name||W(e.peer)}function So(){let e=v(n=>n.requests||[]),t=async(n,o)=>{try{if(o==="accept"&&await P("/v1/requests/"+j(n.peer)+"/accept",{name:""}),o==="delete"){if(!confirm("Delete this request and its messages?"))return;await B("/v1/requests/"+j(n.peer))}o==="block"&&await P("/v1/requests/"+j(n.peer)+"/block"),await ne(),await V(),te(),o==="accept"&&O("/chat/"+n.peer)}catch(s){k(s)}};return c`<section class="pane page" aria-labelledby="requests-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${$} name="back" /></a>
      <h2 id="requests-title">Message requests</h2>
    </header>
    <div class="page-body">
      <p class="muted">People who are not in your contacts wrote to you. They do not see that you read their messages until you accept.</p>
      <ul class="requests">
        ${e.map(n=>c`<li key=${n.peer} class="card request" data-account=${n.peer}>
            <div class="row">
              <${H} name=${wo(n)} src=${n.avatar_url||""} />
              <span class="grow"><strong>${wo(n)}</strong><br /><span class="muted">${n.last?n.last.text:""}</span></span>
              <span class="time">${n.last?Je(n.last.sent_at):""}</span>
            </div>
            <div class="row">
              <button type="button" class="btn primary" onClick=${()=>t(n,"accept")}>Accept</button>
              <button type="button" class="btn" onClick=${()=>t(n,"delete")}>Delete</button>
              <button type="button" class="btn danger" onClick=${()=>t(n,"block")}>Block</button>
            </div>
          </li>`)}
        ${!e.length&&c`<li class="hint">No message requests.</li>`}
      </ul>
    </div>
  </section>`}function Do({account:e}){let t=v(o=>!!(o.blocked&&o.blocked.has(e))),n=async()=>{try{if(t)await B("/v1/blocked/"+j(e));else{if(!confirm("Block this account? Its messages will be dropped on all your devices."))return;await U("/v1/blocked/"+j(e))}await ne()}catch(o){k(o)}};return c`<div class="section">
    <button type="button" class=${"btn"+(t?"":" danger")} onClick=${n} id="block-toggle">
      ${t?"Unblock":"Block"}
    </button>
    ${t&&c`<p class="muted">Blocked: messages from this account are dropped.</p>`}
  </div>`}var oe=null,Qt="",Ue=0,Yt=0,Vt=!1,Oe=250,Mo=0,To=Promise.resolve();function ut(){if(clearTimeout(Mo),oe)return;Vt=!!Qt;let e=Vt?"?epoch="+encodeURIComponent(Qt)+"&after="+Ue:"",t=location.protocol==="https:"?"wss:":"ws:",n=new WebSocket(t+"//"+location.host+"/v1/events"+e);oe=n,n.onmessage=o=>{let s;try{s=JSON.parse(o.data)}catch{return}To=To.then(()=>Es(s)).catch(a=>console.error("pigeon: event",s.type,a))},n.onclose=()=>{oe===n&&(oe=null,f.conn="down",b(),Mo=setTimeout(ut,Oe),Oe=Math.min(Oe*2,5e3))}}function Kt(){if(!(oe&&oe.readyState===WebSocket.OPEN)){if(oe){let e=oe;oe=null,e.onclose=null,e.close()}Oe=250,ut()}}async function Es(e){if(e.type==="hello"){Qt=e.epoch||"",Yt=e.seq||0,f.conn="live",Oe=250,b(),Vt||(Ue=Yt,await Promise.all([ot(),ne().catch(()=>{})]));return}if(e.type==="reset"){Ue=Yt,await Promise.all([ot(),ne().catch(()=>{})]);return}if(typeof e.seq=="number"){if(e.seq<=Ue)return;Ue=e.seq}Us(e)}function Us(e){if(!ko(e))switch(e.type){case"message_received":{let t=e.message;if(!t)return;let n=t.direction==="in";Ne(t,{incoming:n}),n&&(mo(t),Ae(ke(t)),te());return}case"message_state_changed":{xe(e.id,n=>({...n,state:e.state,pending:e.state==="pending"?n.pending:void 0}))||Zn(e.id);return}case"message_pending":{let t={code:e.code,reason:e.reason,attempts:e.attempts,next_attempt:e.next_attempt};for(let n of e.ids||[])xe(n,o=>o.state==="pending"?{...o,pending:t}:o);return}case"typing":Ht(he(e.from),e.from,e.active,e.until);return;case"group_typing":Ht(we(e.group),e.from,e.active,e.until);return;case"presence":io(e);return;case"group_changed":K(e.group).then(()=>e.change==="created"||e.change==="member_added"||e.change==="member_joined"?ue():null).catch(()=>{});return;case"group_receipt":f.receiptTick=(f.receiptTick||0)+1,b();return;case"media_progress":so(e);return;case"media_state":ao(e);return;case"contact_changed":V().then(te).catch(()=>{});return;case"identity_changed":f.identity=new Map(f.identity).set(e.account,e),b(),V().catch(()=>{});return;case"storage":f.storageFull=e.state==="full",b(),f.storageFull&&R("The disk is nearly full: Pigeon cannot store new messages or files until you free some space.","error");return;case"link_request":go(e);return;case"device_linked":_o(e);return;case"device_revoked":yo(e);return;case"history_sync":$o(e);return;case"dropped":ot().catch(()=>{}),nt().catch(()=>{});return}}function Os(e){let t=e.last;if(!t)return e.group?"No messages yet":"";let n="";return t.direction==="out"?n="You: ":t.group&&(n=(t.sender_name||Y(t.sender))+": "),t.media?n+"📎 "+(t.text?t.text:t.media.name||"file"):n+t.text}function Fs({c:e,current:t}){let n=e.name||Q(e.key),o=v(i=>e.peer?i.presence.get(e.peer):null),s=v(i=>i.typing.has(e.key)),a=o&&o.state==="online",r=n+(e.unread?", "+e.unread+" unread":"")+(a?", online":"");return c`<li>
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
          <span class="preview">${s?c`<em>typing…</em>`:Os(e)}</span>
          ${e.unread>0&&c`<span class="badge" aria-hidden="true">${e.unread}</span>`}
        </span>
      </span>
    </a>
  </li>`}function js(){let[e,t]=g(it()),[n,o]=g(localStorage.getItem("pigeon.notify-banner")==="no");return e!=="default"||n?null:c`<div class="banner">
    <span class="grow">Get notified of new messages while this tab is in the background.</span>
    <button type="button" class="btn" onClick=${async()=>t(await ct())}>Turn on</button>
    <button
      type="button"
      class="icon-btn"
      aria-label="Not now"
      onClick=${()=>{localStorage.setItem("pigeon.notify-banner","no"),o(!0)}}
    ><${$} name="close" /></button>
  </div>`}function Po({current:e,onNewGroup:t,onAddContact:n,onJoin:o}){let s=v(m=>m.convs),a=v(m=>m.conn),r=v(m=>m.me),[i,u]=g(""),p=i.trim().toLowerCase(),l=p?s.filter(m=>(m.name||Q(m.key)).toLowerCase().includes(p)||(m.peer||m.group).startsWith(p)):s;return c`<nav class="sidebar" aria-label="Chats">
    <header class="bar">
      <a href="/me" class="icon-btn" onClick=${L} aria-label="My account and QR code"><${H} small name=${r?"Me":"?"} /></a>
      <h1 class="brand">Pigeon</h1>
      <button type="button" class="icon-btn" aria-label="New group" onClick=${t}><${$} name="group" /></button>
      <button type="button" class="icon-btn" aria-label="Add contact" onClick=${n}><${$} name="person-add" /></button>
      <button type="button" class="icon-btn" aria-label="Join a group by link" onClick=${o}><${$} name="link" /></button>
      <a href="/contacts" class="icon-btn" onClick=${L} aria-label="Contacts"><${$} name="people" /></a>
      <a href="/settings" class="icon-btn" onClick=${L} aria-label="Settings"><${$} name="gear" /></a>
    </header>
    ${a==="down"&&c`<div class="conn" role="status">Connection to the daemon lost; reconnecting…</div>`}
    <${js} />
    <div class="filter" role="search">
      <label>
        <${$} name="search" />
        <span class="sr-only">Filter chats</span>
        <input
          type="search"
          placeholder="Filter chats (Ctrl+K: go to any chat)"
          value=${i}
          onInput=${m=>u(m.target.value)}
          onKeyDown=${m=>{m.key==="Enter"&&p&&l.length&&(m.preventDefault(),O(ge(l[0].key)))}}
          id="chat-filter"
        />
      </label>
    </div>
    <${Co} />
    <ul class="chats" aria-label="Chat list">
      ${l.map(m=>c`<${Fs} key=${m.key} c=${m} current=${m.key===e} />`)}
      ${!l.length&&c`<li class="hint">${p?"No chat matches “"+i+"”.":c`No chats yet. <a href="/contacts" onClick=${L}>Start one</a> with a contact, or add one by their account ID.`}</li>`}
    </ul>
  </nav>`}var Ro={pending:"pending",sent:"sent",delivered:"delivered",read:"read",failed:"not sent"},Bs={pending:"clock",sent:"check",delivered:"check2",read:"check2",failed:"alert"};function Jt({state:e}){let t=Bs[e];return t?c`<span class=${z("icon","i-"+t,"tick","tick-"+e)} role="img" aria-label=${Ro[e]} data-state=${e}></span>`:null}function Lo(e,t){if(!e||!t)return{width:240,height:180};let n=Math.min(1,300/e,320/t);return{width:Math.max(40,Math.round(e*n)),height:Math.max(40,Math.round(t*n))}}function Io(e,t){switch(e.state){case"fetching":return t&&t.total?"downloading "+Nt(t.done,t.total)+"%":"downloading…";case"retrying":return"waiting for the sender to come online…";case"failed":return"download failed"+(e.error?": "+e.error:"");case"removed":return"removed from this device";case"remote":return"not downloaded"}return""}function qo({prog:e,label:t}){return!e||!e.total?c`<progress aria-label=${t}></progress>`:c`<progress aria-label=${t} max=${e.total} value=${e.done}></progress>`}function No({media:e,prog:t}){let n=e.state==="local",o=e.state==="fetching"||e.state==="retrying",s=t&&t.direction==="download"?t:null;return c`<div class="file-card" data-media-state=${e.state}>
    <${$} name="doc" class="big" />
    <div class="grow">
      <div class="file-name" title=${e.name}>${e.name||"file"}</div>
      <div class="file-meta">${Z(e.size)}${e.mime?" · "+e.mime:""}${Io(e,s)&&" · "+Io(e,s)}</div>
      ${o&&c`<${qo} prog=${s} label=${"Downloading "+(e.name||"file")} />`}
    </div>
    ${n?c`<button type="button" class="icon-btn" aria-label=${"Save "+(e.name||"file")} onClick=${()=>Rt(e.id,e.name)}>
          <${$} name="download" />
        </button>`:!o&&c`<button type="button" class="icon-btn" aria-label=${"Download "+(e.name||"file")+", "+Z(e.size)} onClick=${()=>Wt(e.id)}>
          <${$} name="download" />
        </button>`}
  </div>`}function Ws({media:e,prog:t,onOpen:n}){let o=e.state==="local",s=Lo(e.width,e.height),a=o?be(e.id):e.thumbnail?It(e.id):"";if(!a)return c`<${No} media=${e} prog=${t} />`;let r=e.state==="fetching"||e.state==="retrying";return c`<div>
    <button type="button" class=${z("media-img",!o&&"remote")} onClick=${n} aria-label=${"Open picture "+(e.name||"")}>
      <img src=${a} alt=${e.caption||e.name||"picture"} width=${s.width} height=${s.height} loading="lazy" decoding="async" />
    </button>
    ${!o&&c`<div class="row file-meta">
      ${r?c`<${qo} prog=${t} label=${"Downloading "+(e.name||"picture")} />`:c`<button type="button" class="btn" onClick=${()=>Wt(e.id)}><${$} name="download" /> ${Z(e.size)}</button>`}
    </div>`}
  </div>`}function Ao({media:e,onClose:t}){return c`<${E} title=${e.name||"Picture"} onClose=${t} class="viewer">
    <div class="viewer-body">
      <img src=${be(e.id)} alt=${e.caption||e.name||"picture"} />
    </div>
    <div class="row">
      <button type="button" class="btn" onClick=${()=>Rt(e.id,e.name)}><${$} name="download" /> Save</button>
    </div>
  </${E}>`}function Hs({media:e,prog:t,onOpen:n}){let o=e.mime||"",s=e.state==="local";return o.startsWith("image/")?c`<${Ws} media=${e} prog=${t} onOpen=${n} />`:o.startsWith("video/")?c`<video
      class="media-video"
      controls
      preload=${s?"metadata":"none"}
      poster=${e.thumbnail?It(e.id):void 0}
      src=${be(e.id)}
      aria-label=${"Video "+(e.name||"")}
      width=${Lo(e.width,e.height).width}
    ></video>`:o.startsWith("audio/")?c`<audio class="media-audio" controls preload=${s?"metadata":"none"} src=${be(e.id)} aria-label=${"Audio "+(e.name||"")}></audio>`:c`<${No} media=${e} prog=${t} />`}function Eo({m:e,onClose:t}){let n=v(l=>l.receiptTick||0),o=v(l=>l.groups.get(e.group)),[s,a]=g(null),[r,i]=g("");D(()=>{M("/v1/groups/"+e.group+"/messages/"+e.id+"/receipts").then(l=>a(l.receipts||{})).catch(l=>i(l.message))},[n,e.id,e.group]);let u=o?o.members.filter(l=>!f.me||l.account!==f.me.account):[],p=new Set([...u.map(l=>l.account),...Object.keys(s||{})]);return c`<${E} title="Message info" onClose=${t}>
    <p class="text">${e.media?"📎 "+(e.media.name||"file")+(e.text?" — "+e.text:""):e.text}</p>
    ${r&&c`<p class="error-text">${r}</p>`}
    ${!s&&!r&&c`<p class="muted">Loading…</p>`}
    ${s&&c`<ul class="list receipts">
      ${[...p].map(l=>{let m=s[l]||"";return c`<li key=${l} data-account=${l} data-receipt=${m||"none"}>
          <span class="grow">${Y(l)}</span>
          <span class="muted">${m==="read"?"Read":m==="delivered"?"Delivered":"Not yet delivered"}</span>
          <${Jt} state=${m==="read"?"read":m==="delivered"?"delivered":"sent"} />
        </li>`})}
    </ul>`}
  </${E}>`}var Uo=In(function({m:t,sender:n,prog:o,onOpen:s,onInfo:a}){let r=t.direction==="out";return c`<div class=${z("msg",r?"out":"in")} data-id=${t.id} data-state=${t.state}>
    <div class="bubble">
      ${n?c`<span class="sender">${n}</span>`:c`<span class="sr-only">${r?"You:":""}</span>`}
      ${t.media&&c`<${Hs} media=${t.media} prog=${o} onOpen=${()=>s(t.media)} />`}
      ${t.text&&c`<span class="text">${t.text}</span>`}
      <span class="meta">
        <time datetime=${t.sent_at}>${Un(t.sent_at)}</time>
        ${r&&(t.group?c`<button type="button" aria-label=${"Message info: "+(Ro[t.state]||t.state)} onClick=${()=>a(t)}><${Jt} state=${t.state} /></button>`:c`<${Jt} state=${t.state} />`)}
      </span>
      ${r&&t.state==="pending"&&t.pending&&t.pending.reason&&c`<span class="why">${t.pending.reason}</span>`}
    </div>
  </div>`});function Oo({u:e,onCancel:t}){return c`<div class="msg out upload" data-upload=${e.name}>
    <div class="bubble">
      ${e.preview&&c`<img src=${e.preview} alt="" />`}
      <div class="file-name">${e.name}</div>
      <div class="file-meta">${e.error?c`<span class="error-text">${e.error}</span>`:"sending "+Nt(e.loaded,e.size)+"% of "+Z(e.size)}</div>
      ${!e.error&&c`<progress aria-label=${"Sending "+e.name} max=${e.size||1} value=${e.loaded}></progress>`}
      <div class="row"><button type="button" class="btn" onClick=${t}>${e.error?"Dismiss":"Cancel"}</button></div>
    </div>
  </div>`}var Gs=0;function Fo({chatKey:e,dropped:t}){let[n,o]=g(""),[s,a]=g([]),[r,i]=g(!1),u=F(null),p=F(null),l=_=>{let w=[..._].map(x=>({id:++Gs,file:x,preview:x.type.startsWith("image/")?URL.createObjectURL(x):""}));w.length&&a(x=>x.concat(w)),u.current&&u.current.focus()},m=_=>a(w=>w.filter(x=>(x.id===_&&x.preview&&URL.revokeObjectURL(x.preview),x.id!==_)));D(()=>{t&&t.length&&l(t)},[t]),D(()=>{u.current&&u.current.focus({preventScroll:!0})},[]),D(()=>{let _=u.current;_&&(_.style.height="auto",_.style.height=_.scrollHeight+2+"px")},[n]);let h=async()=>{let _=n.trim();if(r||!_&&!s.length)return;let w=s;if(o(""),a([]),st(e,!1),w.length){w.forEach((x,C)=>{no(e,x.file,C===0?_:"").finally(()=>x.preview&&URL.revokeObjectURL(x.preview))});return}i(!0);try{await to(e,_)}catch(x){o(_),k(x)}finally{i(!1),u.current&&u.current.focus()}},d=_=>{_.key==="Enter"&&!_.shiftKey&&!_.isComposing&&(_.preventDefault(),h())},y=_=>{let w=_.clipboardData&&_.clipboardData.files;w&&w.length&&(_.preventDefault(),l(w))};return c`<div class="composer-wrap">
    ${s.length>0&&c`<ul class="staged" aria-label="Files to send">
      ${s.map(_=>c`<li class="staged-item" key=${_.id}>
          ${_.preview?c`<img src=${_.preview} alt="" />`:c`<${$} name="doc" />`}
          <span class="grow">${_.file.name} <span class="muted">${Z(_.file.size)}</span></span>
          <button type="button" class="icon-btn" aria-label=${"Remove "+_.file.name} onClick=${()=>m(_.id)}><${$} name="close" /></button>
        </li>`)}
    </ul>`}
    <form
      class="composer"
      onSubmit=${_=>{_.preventDefault(),h()}}
    >
      <button type="button" class="icon-btn" aria-label="Attach files" onClick=${()=>p.current.click()}><${$} name="attach" /></button>
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
      <button type="submit" class="icon-btn send" aria-label="Send" disabled=${r}><${$} name="send" /></button>
    </form>
  </div>`}var pt=200,Se=50,jo=600,zs=(e,t)=>e===t||e.length===t.length&&e.every((n,o)=>n===t[o]);function Ys({chatKey:e}){let t=v(n=>{let o=n.chats.get(e);return o?{loading:o.loading,hasOlder:o.hasOlder,ready:o.ready,empty:!o.msgs.length}:{empty:!0}});return t.loading?c`<p class="older" role="status">Loading older messages…</p>`:t.hasOlder?c`<p class="older"> </p>`:c`<p class="older">${t.ready?t.empty?"No messages yet":"The beginning of this chat":""}</p>`}var Xt=class extends ie{constructor(t){super(t),this.state={msgs:null,start:0,end:0,stick:!0,wantUp:!1},this.scroller=null,this.raf=0,this.olderFrom=0,this.openMedia=n=>t.onOpenMedia(n),this.openInfo=n=>t.onInfo(n),this.onScroll=()=>{this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))},this.setRef=n=>this.scroller=n,this.jump=()=>{let n=this.props.chat.msgs.length;this.setState({start:Math.max(0,n-Se),end:n,stick:!0})}}static getDerivedStateFromProps(t,n){let o=t.chat.msgs;if(o===n.msgs)return null;let s=o.length;if(!n.msgs||!n.msgs.length||!s)return{msgs:o,start:Math.max(0,s-Se),end:s,stick:!0,wantUp:!1};let a=n.msgs[0].id,r=0;if(o[0].id!==a&&(r=o.findIndex(l=>l.id===a),r<0))return{msgs:o,start:Math.max(0,s-Se),end:s,stick:!0,wantUp:!1};let i=n.start+r,u=n.end+r,p=n.end===n.msgs.length;return n.wantUp&&r>0?(i=Math.max(0,i-Se),u=Math.min(u,i+pt)):p&&n.stick&&(u=s,i=Math.max(i,u-pt)),{msgs:o,start:i,end:u,wantUp:n.wantUp&&r===0}}shouldComponentUpdate(t,n){let o=this.props,s=this.state;return t.chat.msgs!==o.chat.msgs||t.group!==o.group||t.progress!==o.progress||!zs(t.uploads,o.uploads)||n.msgs!==s.msgs||n.start!==s.start||n.end!==s.end||n.stick!==s.stick}getSnapshotBeforeUpdate(){let t=this.scroller;if(!t)return null;if(this.state.stick)return{stick:!0};let n=t.scrollTop;for(let o of t.querySelectorAll(".msg[data-id]"))if(o.offsetTop+o.offsetHeight>n)return{id:o.dataset.id,delta:o.offsetTop-n};return null}componentDidMount(){this.scroller.scrollTop=this.scroller.scrollHeight,this.check()}componentDidUpdate(t,n,o){let s=this.scroller;if(o&&o.stick)s.scrollTop=s.scrollHeight;else if(o&&o.id){let a=s.querySelector('.msg[data-id="'+o.id+'"]');a&&(s.scrollTop=a.offsetTop-o.delta)}this.olderFrom&&n.msgs!==this.state.msgs&&n.msgs&&this.state.msgs[0]!==n.msgs[0]&&(performance.measure("pigeon:older-page",{start:this.olderFrom,end:performance.now()}),this.olderFrom=0),this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))}componentWillUnmount(){cancelAnimationFrame(this.raf)}check(){let t=this.scroller;if(!t)return;let{chat:n}=this.props,{start:o,end:s}=this.state,a=n.msgs.length,r=t.scrollHeight-t.scrollTop-t.clientHeight,i=r<40&&s===a;if(i!==this.state.stick&&this.setState({stick:i}),t.scrollTop<jo)if(o>0){let u=Math.max(0,o-Se);this.setState({start:u,end:Math.min(s,u+pt),stick:!1})}else n.hasOlder&&!n.loading&&!this.state.wantUp&&(this.olderFrom=performance.now(),Xn(n.key).then(u=>{u||(this.olderFrom=0,this.setState({wantUp:!1}))}),this.setState({wantUp:!0}));else if(r<jo&&s<a){let u=Math.min(a,s+Se);this.setState({end:u,start:Math.max(o,u-pt)})}}render({chat:t,group:n,progress:o,uploads:s},{start:a,end:r,stick:i}){let u=t.msgs,p=[];a===0&&p.push(c`<${Ys} key="older" chatKey=${t.key} />`);for(let l=a;l<r;l++){let m=u[l],h=l>0?u[l-1]:null,d=qt(m.sent_at),y=!h||qt(h.sent_at)!==d;y&&p.push(c`<div class="day" role="separator" key=${"d"+m.id}>${Le(m.sent_at)}</div>`);let _=n&&m.direction==="in"&&(y||h.sender!==m.sender||h.direction!=="in")?m.sender_name||Y(m.sender):"",w=m.media?o.get(m.media.id):void 0;p.push(c`<${Uo} key=${m.id} m=${m} sender=${_} prog=${w} onOpen=${this.openMedia} onInfo=${this.openInfo} />`)}if(r===u.length)for(let l of s)p.push(c`<${Oo} key=${"u"+l.uid} u=${l} onCancel=${()=>l.error?oo(l.uid):l.abort()} />`);return c`<div
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
      ${(!i||r<u.length)&&c`<button type="button" class="btn jump" onClick=${this.jump} aria-label="Jump to the latest message"><${$} name="down" /> Latest</button>`}`}};function Qs({chatKey:e,group:t,info:n}){let o=e.startsWith("g:"),s=e.slice(2),a=v(()=>Q(e)),r=v(m=>o?null:m.presence.get(s)),i=v(m=>m.typing.get(e)),u="",p=!1;if(i&&i.size){p=!0;let m=[...i.keys()].map(Y);u=o?m.join(", ")+(m.length>1?" are typing…":" is typing…"):"typing…"}else o?u=t?t.members.map(m=>f.me&&m.account===f.me.account?"You":m.name||Y(m.account)).join(", "):"":r&&(u=r.state==="online"?"online":r.last_seen?Xe(r.last_seen):"");let l=(o?"/group/":"/chat/")+s+"/info";return c`<header class="bar">
    <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${$} name="back" /></a>
    <${H} name=${a} group=${o} online=${r&&r.state==="online"} />
    <div class="title">
      <button type="button" onClick=${()=>O(n?l.slice(0,-5):l)} aria-label=${(n?"Hide":"Show")+" details of "+a}>
        <h2>${a}</h2>
        <span class=${z("subtitle",p&&"typing")} data-presence=${r?r.state:""}>${u}</span>
      </button>
    </div>
    <a href=${n?l.slice(0,-5):l} class="icon-btn" onClick=${L} aria-label=${o?"Group details":"Contact details"} aria-pressed=${n?"true":"false"}>
      <${$} name="info" />
    </a>
  </header>`}function Vs({chat:e}){let[t,n]=g(""),o=F("");return D(()=>{let s=e.msgs[e.msgs.length-1];if(!s||s.id===o.current)return;let a=!o.current;o.current=s.id,!a&&s.direction==="in"&&n((s.sender_name||Y(s.sender))+": "+(s.text||(s.media?"a file":"")))},[e.msgs]),c`<div class="sr-only" aria-live="polite">${t}</div>`}function Bo({chatKey:e,info:t}){let n=e.startsWith("g:"),o=e.slice(2),s=v(S=>S.chats.get(e)),a=v(S=>n?S.groups.get(o):null),r=v(S=>S.progress),i=v(S=>S.uploads),u=v(S=>n?null:S.identity.get(o)),[p,l]=g(null),[m,h]=g(null),[d,y]=g(!1),[_,w]=g(null),x=Ve(S=>l(S),[]),C=Ve(S=>h(S),[]),N=i.filter(S=>S.key===e),I=!n||!a||a.status==="active"&&(a.settings.post!=="admins"||a.role==="owner"||a.role==="admin"),se=n&&a&&a.status!=="active"?a.status==="left"?"You left this group.":"You were removed from this group.":I?"":"Only admins can send messages to this group.",Fe=S=>{se||!S.dataTransfer||![...S.dataTransfer.types].includes("Files")||(S.preventDefault(),y(!0))},$e=S=>{y(!1),!(se||!S.dataTransfer||!S.dataTransfer.files.length)&&(S.preventDefault(),w([...S.dataTransfer.files]))};return c`<section
    class="conversation"
    aria-label=${"Chat with "+Q(e)}
    data-chat=${e}
    onDragOver=${Fe}
    onDragLeave=${S=>S.currentTarget===S.target&&y(!1)}
    onDrop=${$e}
  >
    <${Qs} chatKey=${e} group=${a} info=${t} />
    ${u&&c`<div class="banner" role="alert">
      <${$} name="shield" />
      <span class="grow">${Q(e)}'s device keys changed (a reinstall, or someone in between). Compare your safety number with them before you trust new messages.</span>
      <a class="btn" href=${"/chat/"+o+"/info"} onClick=${L}>Compare</a>
    </div>`}
    ${s?c`<${Xt} key=${e} chat=${s} group=${n} progress=${r} uploads=${N} onOpenMedia=${x} onInfo=${C} />`:c`<div class="messages"></div>`}
    <${Ks} chatKey=${e} />
    <${Vs} chat=${s||{msgs:[]}} />
    ${se?c`<p class="readonly-note">${se}</p>`:c`<${Fo} key=${e} chatKey=${e} dropped=${_} />`}
    ${d&&c`<div class="drop-hint" aria-hidden="true">Drop files to send them</div>`}
    ${p&&c`<${Ao} media=${p} onClose=${()=>l(null)} />`}
    ${m&&c`<${Eo} m=${m} onClose=${()=>h(null)} />`}
  </section>`}function Ks({chatKey:e}){let t=v(o=>o.typing.get(e)),n=t?[...t.keys()].map(Y):[];return c`<div class="typing-line" aria-live="polite" data-typing=${n.length?"yes":"no"}>
    ${n.length?e.startsWith("g:")?n.join(", ")+(n.length>1?" are typing…":" is typing…"):n[0]+" is typing…":""}
  </div>`}function ye({onText:e}){let[t,n]=g(!1),[o,s]=g(""),a=F(null),r=async(i,u)=>{try{let p=await Nn(i);if(p)return n(!1),s(""),e(p),!0}catch(p){u||s(p.message||"No QR code found in that image.")}return!1};return D(()=>{let i=u=>{let p=u.clipboardData&&[...u.clipboardData.files].find(l=>l.type.startsWith("image/"));p&&(u.preventDefault(),r(p))};return document.addEventListener("paste",i),()=>document.removeEventListener("paste",i)},[]),c`<div class="scan">
    <div class="row">
      ${navigator.mediaDevices&&navigator.mediaDevices.getUserMedia&&c`<button type="button" class="btn" aria-pressed=${t?"true":"false"} onClick=${()=>n(!t)}>
        <${$} name="camera" /> ${t?"Stop camera":"Scan with camera"}
      </button>`}
      <button type="button" class="btn" onClick=${()=>a.current.click()}><${$} name="qr" /> QR code from an image</button>
      <input
        ref=${a}
        type="file"
        accept="image/png,image/jpeg"
        hidden
        aria-hidden="true"
        tabindex="-1"
        onChange=${i=>{let u=i.target.files[0];i.target.value="",u&&r(u)}}
      />
    </div>
    <p class="muted">You can also paste a screenshot of a QR code here.</p>
    ${t&&c`<${Js} onFrame=${i=>r(i,!0)} onError=${i=>(s(i),n(!1))} />`}
    ${o&&c`<p class="error-text" role="alert">${o}</p>`}
  </div>`}function Js({onFrame:e,onError:t}){let n=F(null);return D(()=>{let o=null,s=0,a=!1,r=document.createElement("canvas"),i=()=>{let u=n.current;if(!(a||!u)){if(u.videoWidth){r.width=u.videoWidth,r.height=u.videoHeight,r.getContext("2d").drawImage(u,0,0),r.toBlob(async p=>{p&&!a&&await e(p)&&(a=!0),a||(s=setTimeout(i,600))},"image/jpeg",.85);return}s=setTimeout(i,300)}};return navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}).then(u=>{if(o=u,a)return u.getTracks().forEach(p=>p.stop());n.current.srcObject=u,n.current.play(),i()}).catch(()=>t("The camera is not available: allow it in the browser, or use an image of the code.")),()=>{a=!0,clearTimeout(s),o&&o.getTracks().forEach(u=>u.stop())}},[]),c`<div class="camera"><video ref=${n} muted playsinline aria-label="Camera"></video></div>`}function Wo({onClose:e,initial:t}){let[n,o]=g(t||""),[s,a]=g(""),[r,i]=g(""),[u,p]=g(!1),l=_e(),m=Ze(n);D(()=>{m&&m.kind==="account"&&m.name&&!s&&a(m.name)},[n]);let h=async d=>{if(d.preventDefault(),!m){i("That is not an account ID (pg… 60 characters) or a contact link. Ask your contact for the one on their “My account” screen.");return}p(!0),i("");try{if(m.kind==="invite"){let y=await at(m.link);R(y.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),O("/group/"+y.group);return}await Gt(m.account,s.trim()),e(),O("/chat/"+m.account)}catch(y){i(y.message)}finally{p(!1)}};return c`<${E}
    title="Add contact"
    onClose=${e}
    actions=${c`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="add-contact" class="btn primary" disabled=${u}>${m&&m.kind==="invite"?"Join group":"Add"}</button>`}
  >
    <form id="add-contact" onSubmit=${h}>
      <label class="field">
        <span>Account ID or link</span>
        <input ref=${l} type="text" name="account" autocomplete="off" spellcheck="false" value=${n} onInput=${d=>o(d.target.value)} placeholder="pg… or pigeon:pg…" />
      </label>
      ${m&&m.kind==="invite"&&c`<p class="muted">This is a group invite link: adding it joins the group.</p>`}
      ${(!m||m.kind==="account")&&c`<label class="field">
        <span>Name (only you see it)</span>
        <input type="text" name="name" value=${s} onInput=${d=>a(d.target.value)} />
      </label>`}
      ${r&&c`<p class="error-text" role="alert">${r}</p>`}
    </form>
    <${ye} onText=${d=>(o(d),i(""))} />
  </${E}>`}function Ho(){let e=v(s=>s.me),[t,n]=g(localStorage.getItem("pigeon.my-name")||"");if(!e)return null;let o=Fn(e.account,t.trim());return c`<div class="card my-account">
    <h3>My account</h3>
    <p class="muted">Others add you with this ID, this link or by scanning the code.</p>
    <p class="mono" data-account=${e.account}>${e.account}</p>
    <div class="row">
      <button type="button" class="btn" onClick=${async()=>R(await Ee(e.account)?"Account ID copied.":"Copy failed: select the ID and copy it.")}>
        <${$} name="copy" /> Copy ID
      </button>
      <button type="button" class="btn" onClick=${async()=>R(await Ee(o)?"Contact link copied.":"Copy failed.")}>
        <${$} name="link" /> Copy contact link
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
  </div>`}function Go({onAdd:e}){let n=[...v(o=>o.contacts).values()].sort((o,s)=>(o.name||o.account).localeCompare(s.name||s.account));return c`<section class="pane page" aria-labelledby="contacts-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${$} name="back" /></a>
      <h2 id="contacts-title">Contacts</h2>
      <button type="button" class="btn primary" onClick=${e}><${$} name="person-add" /> Add contact</button>
    </header>
    <div class="page-body">
      <div class="card">
        <ul class="list">
          ${n.map(o=>c`<li key=${o.account} data-account=${o.account}>
              <${H} small name=${o.name} />
              <span class="grow">
                <strong>${o.name||W(o.account)}</strong>
                ${o.verified&&c` <span class="verified">✓ verified</span>`}
                ${o.identity_changed_at&&c` <span class="error-text">keys changed</span>`}
                <div class="mono muted">${o.account}</div>
              </span>
              <a class="btn" href=${"/chat/"+o.account} onClick=${L}><${$} name="chat" /> Message</a>
            </li>`)}
          ${!n.length&&c`<li class="muted">No contacts yet. Add one with their account ID, link or QR code.</li>`}
        </ul>
      </div>
      <${Ho} />
    </div>
  </section>`}function zo(){return c`<section class="pane page" aria-labelledby="me-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${$} name="back" /></a>
      <h2 id="me-title">My account</h2>
    </header>
    <div class="page-body"><${Ho} /></div>
  </section>`}function Xs({account:e}){let t=v(d=>d.contacts.get(e)),n=v(d=>d.identity.get(e)),[o,s]=g(""),[a,r]=g(""),[i,u]=g(!1),[p,l]=g(null);D(()=>{M("/v1/contacts/"+j(e)+"/safety-number").then(d=>s(d.safety_number)).catch(d=>r(d.message))},[e,t&&t.identity_changed_at,n]);let m=jn(o).split(" ").filter(Boolean),h=async()=>{try{await co(e),R("Marked as verified.")}catch(d){k(d)}};return c`<div class="section safety-number">
    <h3>Safety number</h3>
    ${(n||t&&t.identity_changed_at)&&c`<p class="banner" role="alert"><${$} name="shield" /> Their device keys changed${t&&t.verified?" since you verified it":""} (a reinstall, or someone in between). Compare the safety number again before you trust new messages.</p>`}
    ${a&&c`<p class="error-text">${a}</p>`}
    ${o&&c`<div class="safety" aria-label=${"Safety number "+m.join(" ")} data-safety=${o}>${m.map((d,y)=>c`<span key=${y}>${d}</span>`)}</div>
      <img class="qr" src=${me(o)} alt="QR code of the safety number, for the other side to scan" width="220" height="220" />
      <p class="muted">Compare these digits with ${t&&t.name?t.name:"your contact"}'s screen, in person or on a call, or scan each other's code.</p>`}
    ${i&&c`<${ye}
      onText=${d=>{u(!1),l(d.replace(/\s/g,"")===o)}}
    />`}
    ${p===!0&&c`<p class="verified" role="status">The numbers match.</p>`}
    ${p===!1&&c`<p class="error-text" role="alert">The numbers do not match: do not verify.</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${()=>u(!i)}><${$} name="camera" /> ${i?"Stop scanning":"Scan their code"}</button>
      ${t&&t.verified&&!t.identity_changed_at?c`<span class="verified"><${$} name="shield" /> Verified</span>`:c`<button type="button" class="btn primary" onClick=${h} disabled=${!t}>Mark as verified</button>`}
    </div>
  </div>`}var Zs=[[-1,"As in Settings"],[0,"Never"],[1<<20,"Up to 1 MB"],[16<<20,"Up to 16 MB"],[100<<20,"Up to 100 MB"],[16*1024*1024*1024,"Always"]];function ea({account:e}){let[t,n]=g(localStorage.getItem("pigeon.auto."+e)||"-1"),o=async s=>{try{await U("/v1/conversations/"+j(e)+"/auto-download",{max_bytes:Number(s)}),localStorage.setItem("pigeon.auto."+e,s),n(s)}catch(a){k(a)}};return c`<label class="field">
    <span>Download files from this chat on arrival</span>
    <select value=${t} onChange=${s=>o(s.target.value)}>
      ${Zs.map(([s,a])=>c`<option value=${String(s)}>${a}</option>`)}
    </select>
  </label>`}function Yo({account:e}){let t=v(i=>i.contacts.get(e)),n=v(i=>i.presence.get(e)),[o,s]=g(t?t.name:"");D(()=>s(t?t.name:""),[t&&t.name]);let a=async i=>{i.preventDefault();try{await U("/v1/contacts/"+j(e),{name:o.trim()}),await V(),te(),R("Saved.")}catch(u){k(u)}},r=async()=>{if(confirm("Remove this contact? The chat stays."))try{await B("/v1/contacts/"+j(e)),await V()}catch(i){k(i)}};return c`<aside class="drawer" aria-label="Contact details">
    <header class="bar">
      <a href=${"/chat/"+e} class="icon-btn" onClick=${L} aria-label="Close details"><${$} name="close" /></a>
      <h2>Contact details</h2>
    </header>
    <div class="section">
      ${t?c`<form onSubmit=${a} class="row">
            <label class="field grow"><span>Name</span><input type="text" value=${o} onInput=${i=>s(i.target.value)} /></label>
            <button class="btn" type="submit">Save</button>
          </form>`:c`<p>Not in your contacts.</p>
            <button type="button" class="btn primary" onClick=${()=>Gt(e,"").catch(k)}>Add to contacts</button>`}
      <p class="label">Account ID</p>
      <p class="mono">${e}</p>
      ${n&&c`<p class="muted">${n.state==="online"?"Online":n.state==="offline"?"Offline":"Presence not shared"}</p>`}
    </div>
    <${Xs} account=${e} />
    <div class="section">
      <h3>Files</h3>
      <${ea} account=${e} />
    </div>
    <${Do} account=${e} />
    ${t&&c`<div class="section"><button type="button" class="btn danger" onClick=${r}><${$} name="trash" /> Remove contact</button></div>`}
  </aside>`}function Qo({chosen:e,onChange:t,exclude:n}){let s=[...v(a=>a.contacts).values()].filter(a=>!n||!n.has(a.account));return s.length?c`<fieldset class="pick">
    <legend class="sr-only">Members</legend>
    ${s.map(a=>c`<label key=${a.account}>
        <input
          type="checkbox"
          checked=${e.has(a.account)}
          onChange=${r=>{let i=new Set(e);r.target.checked?i.add(a.account):i.delete(a.account),t(i)}}
        />
        ${a.name||W(a.account)}
      </label>`)}
  </fieldset>`:c`<p class="muted">No contacts to choose from. Add contacts first, or share an invite link.</p>`}function Vo({onClose:e}){let[t,n]=g(""),[o,s]=g(""),[a,r]=g(new Set),[i,u]=g(""),[p,l]=g(!1),m=_e(),h=async d=>{if(d.preventDefault(),!t.trim()){u("Give the group a name.");return}l(!0);try{let y=await lo(t.trim(),o.trim(),[...a]);e(),O("/group/"+y.id)}catch(y){u(y.message)}finally{l(!1)}};return c`<${E}
    title="New group"
    onClose=${e}
    actions=${c`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="new-group" class="btn primary" disabled=${p}>Create</button>`}
  >
    <form id="new-group" onSubmit=${h}>
      <label class="field"><span>Name</span><input ref=${m} type="text" name="name" value=${t} onInput=${d=>n(d.target.value)} /></label>
      <label class="field"><span>Description (optional)</span><textarea rows="2" name="description" value=${o} onInput=${d=>s(d.target.value)}></textarea></label>
      <p class="label">Members</p>
      <${Qo} chosen=${a} onChange=${r} />
      ${i&&c`<p class="error-text" role="alert">${i}</p>`}
    </form>
  </${E}>`}function Ko({onClose:e}){let[t,n]=g(""),[o,s]=g(""),[a,r]=g(!1),i=_e(),u=async p=>{let l=Ze(p);if(!l||l.kind!=="invite"){s("That is not a group invite link (it starts with pgi). Ask a member for a new one.");return}r(!0),s("");try{let m=await at(l.link);R(m.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),O("/group/"+m.group)}catch(m){s(m.message)}finally{r(!1)}};return c`<${E}
    title="Join a group"
    onClose=${e}
    actions=${c`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="join-group" class="btn primary" disabled=${a}>${a?"Asking the group…":"Join"}</button>`}
  >
    <form
      id="join-group"
      onSubmit=${p=>{p.preventDefault(),u(t)}}
    >
      <label class="field"><span>Invite link</span><input ref=${i} type="text" name="link" autocomplete="off" spellcheck="false" value=${t} onInput=${p=>n(p.target.value)} placeholder="pgi…" /></label>
      ${o&&c`<p class="error-text" role="alert">${o}</p>`}
    </form>
    <${ye} onText=${p=>(n(p),u(p))} />
  </${E}>`}var en=(e,t)=>e.role==="owner"||e.role==="admin"||e.settings&&e.settings[t]==="members"&&e.role==="member";function ta({g:e}){let[t,n]=g(""),[o,s]=g("86400"),a=async()=>{try{let i=await P("/v1/groups/"+e.id+"/invites",{ttl_seconds:Number(o)});n(i.link),K(e.id)}catch(i){k(i)}},r=async()=>{try{await P("/v1/groups/invites/revoke",{link:t}),n(""),K(e.id),R("Invite link revoked: nobody can join with it now.")}catch(i){k(i)}};return c`<div class="section invites">
    <h3>Invite link</h3>
    ${t?c`<p class="mono" data-invite=${t}>${t}</p>
          <img class="qr" src=${me(t)} alt="QR code of the invite link" width="220" height="220" />
          <div class="row">
            <button type="button" class="btn" onClick=${async()=>R(await Ee(t)?"Invite link copied.":"Copy failed: select the link and copy it.")}>
              <${$} name="copy" /> Copy
            </button>
            <button type="button" class="btn danger" onClick=${r}>Revoke</button>
          </div>`:c`<div class="row">
          <label class="field grow">
            <span>Valid for</span>
            <select value=${o} onChange=${i=>s(i.target.value)}>
              <option value="3600">1 hour</option>
              <option value="86400">1 day</option>
              <option value="604800">1 week</option>
              <option value="0">Until revoked</option>
            </select>
          </label>
          <button type="button" class="btn primary" onClick=${a}><${$} name="link" /> Create invite link</button>
        </div>`}
    ${e.invites&&e.invites.length>0&&c`<p class="muted">${e.invites.length} invite link${e.invites.length>1?"s":""} open.</p>`}
  </div>`}function na({g:e}){let t=v(l=>l.contacts),[n,o]=g(!1),[s,a]=g(new Set),r=f.me&&f.me.account,i=e.role==="owner"||e.role==="admin",u=async l=>{try{await l(),await K(e.id)}catch(m){k(m)}},p="/v1/groups/"+e.id+"/members";return c`<div class="section members">
    <h3>${e.members.length} members</h3>
    <ul class="list">
      ${e.members.map(l=>{let m=l.account===r?"You":l.name||(t.get(l.account)||{}).name||W(l.account);return c`<li key=${l.account} data-account=${l.account}>
          <${H} small name=${m} />
          <span class="grow">${m}</span>
          ${l.role!=="member"&&c`<span class="role">${l.role}</span>`}
          ${i&&l.account!==r&&l.role!=="owner"&&c`<span class="row">
            ${l.role==="member"?c`<button type="button" class="btn" onClick=${()=>u(()=>U(p+"/"+l.account+"/role",{role:"admin"}))} aria-label=${"Make "+m+" an admin"}>Make admin</button>`:e.role==="owner"&&c`<button type="button" class="btn" onClick=${()=>u(()=>U(p+"/"+l.account+"/role",{role:"member"}))} aria-label=${"Make "+m+" a member"}>Dismiss as admin</button>`}
            <button type="button" class="btn danger" onClick=${()=>confirm("Remove "+m+" from the group?")&&u(()=>B(p+"/"+l.account))} aria-label=${"Remove "+m}>
              Remove
            </button>
          </span>`}
        </li>`})}
    </ul>
    ${en(e,"add")&&(n?c`<div>
          <${Qo} chosen=${s} onChange=${a} exclude=${new Set(e.members.map(l=>l.account))} />
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
        </div>`:c`<button type="button" class="btn" onClick=${()=>o(!0)}><${$} name="person-add" /> Add members</button>`)}
  </div>`}function Zt({g:e,k:t,label:n}){let o=async s=>{try{await Tt("/v1/groups/"+e.id,{settings:{...e.settings,[t]:s}}),await K(e.id)}catch(a){k(a)}};return c`<label class="field">
    <span>${n}</span>
    <select value=${e.settings[t]} onChange=${s=>o(s.target.value)}>
      <option value="members">All members</option>
      <option value="admins">Only admins</option>
    </select>
  </label>`}function oa({g:e}){return c`<div class="section">
    <h3>Permissions</h3>
    <${Zt} g=${e} k="post" label="Who can send messages" />
    <${Zt} g=${e} k="add" label="Who can add members" />
    <${Zt} g=${e} k="edit_info" label="Who can change name and description" />
  </div>`}function Jo({id:e}){let t=v(l=>l.groups.get(e)),[n,o]=g(null),[s,a]=g(null);if(!t)return c`<aside class="drawer"><p class="hint">Loading the group…</p></aside>`;let r=t.status==="active",i=r&&en(t,"edit_info"),u=async l=>{l.preventDefault();try{await Tt("/v1/groups/"+e,{name:(n??t.name).trim(),description:(s??t.description??"").trim()}),await K(e),await ue(),o(null),a(null),R("Saved.")}catch(m){k(m)}},p=async()=>{if(confirm("Leave "+t.name+"? You will not get its messages any more."))try{await P("/v1/groups/"+e+"/leave"),await K(e)}catch(l){k(l)}};return c`<aside class="drawer" aria-label="Group details" data-group=${e}>
    <header class="bar">
      <a href=${"/group/"+e} class="icon-btn" onClick=${L} aria-label="Close details"><${$} name="close" /></a>
      <h2>Group details</h2>
    </header>
    <div class="section">
      ${i?c`<form onSubmit=${u}>
            <label class="field"><span>Name</span><input type="text" name="name" value=${n??t.name} onInput=${l=>o(l.target.value)} /></label>
            <label class="field"><span>Description</span><textarea rows="3" name="description" value=${s??t.description??""} onInput=${l=>a(l.target.value)}></textarea></label>
            <button type="submit" class="btn" disabled=${n===null&&s===null}>Save</button>
          </form>`:c`<h3>${t.name}</h3>
            <p>${t.description}</p>`}
      <p class="muted">${r?"Your role: "+t.role:t.status==="left"?"You left this group.":"You were removed from this group."}</p>
    </div>
    ${r&&c`<${na} g=${t} />`}
    ${r&&en(t,"add")&&c`<${ta} g=${t} />`}
    ${r&&(t.role==="owner"||t.role==="admin")&&c`<${oa} g=${t} />`}
    ${r&&c`<div class="section"><button type="button" class="btn danger" onClick=${p}>Leave group</button></div>`}
  </aside>`}function nn(e=localStorage.getItem("pigeon.theme")||"system"){e==="light"||e==="dark"?document.documentElement.dataset.theme=e:delete document.documentElement.dataset.theme}function sa(){let[e,t]=g(null),[n,o]=g(""),[s,a]=g(""),r=()=>M("/v1/relays").then(t).catch(k);D(()=>{r();let p=setInterval(r,1e4);return()=>clearInterval(p)},[]);let i=async p=>{p.preventDefault();try{await P("/v1/relays",s.trim()?{addr:n.trim(),invite:s.trim()}:{addr:n.trim()}),o(""),a(""),R("Relay added: the node reserves a slot there now."),r()}catch(l){k(l)}},u=async p=>{if(confirm("Stop using relay "+W(p.peer_id)+"? What its mailbox holds for you is taken first."))try{await B("/v1/relays/"+p.peer_id),r()}catch(l){k(l)}};return c`<div class="card relays">
    <h3>Relays</h3>
    <p class="muted">Relays carry your encrypted messages while you are offline and connect you when you cannot be reached directly. They only see ciphertext.</p>
    <ul class="list">
      ${(e||[]).map(p=>c`<li key=${p.peer_id} data-peer=${p.peer_id}>
          <span class="grow">
            <span class="mono">${p.addr}</span>
            <div class="relay-stats">
              ${p.closing?"closing":p.reserved?"connected":"not connected"}
              ${p.latency_ms?" · "+p.latency_ms.toFixed(1)+" ms":""}
              ${p.region?" · "+p.region:""}
              ${p.mailbox?" · mailbox":""}
              ${p.push&&p.push!=="off"?" · push "+p.push+(p.push_reason?" ("+p.push_reason+")":""):""}
              ${p.last_error?c` · <span class="error-text">${p.last_error}</span>`:""}
            </div>
          </span>
          ${!p.closing&&c`<button type="button" class="btn danger" onClick=${()=>u(p)} aria-label=${"Remove relay "+p.addr}>Remove</button>`}
        </li>`)}
      ${e&&!e.length&&c`<li class="muted">No relays: others reach you only while you are online and reachable.</li>`}
    </ul>
    <form onSubmit=${i}>
      <label class="field"><span>Relay address</span><input type="text" name="relay" value=${n} onInput=${p=>o(p.target.value)} placeholder="/ip4/…/tcp/…/p2p/12D3Koo…" spellcheck="false" /></label>
      <label class="field"><span>Invite token (for invite-only relays)</span><input type="text" value=${s} onInput=${p=>a(p.target.value)} /></label>
      <button type="submit" class="btn" disabled=${!n.trim()}>Add relay</button>
    </form>
  </div>`}function aa(){let[e,t]=g(null),[n,o]=g("unifiedpush"),[s,a]=g(""),[r,i]=g(""),[u,p]=g(""),l=()=>M("/v1/push").then(t).catch(k);D(()=>{l()},[]);let m=async d=>{d.preventDefault();let y={kind:n};n==="unifiedpush"||n==="webhook"?y.url=s.trim():y.token=r.trim(),n==="apns"&&(y.topic=u.trim());try{await U("/v1/push",y),R("Push endpoint set; each relay says below whether it will use it."),l()}catch(_){k(_)}},h=async()=>{try{await B("/v1/push"),l()}catch(d){k(d)}};return c`<div class="card push">
    <h3>Push wake-ups</h3>
    <p class="muted">Your relays can wake a phone or a server of yours when something arrives while this device is away. The wake-up carries no content.</p>
    ${e&&c`<p>${e.endpoint?"Now: "+e.described:"No push endpoint."}</p>
      <ul class="list">
        ${e.relays.map(d=>c`<li key=${d.peer_id}><span class="grow mono">${W(d.peer_id)}</span><span>${d.state}${d.reason?": "+d.reason:""}</span></li>`)}
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
      ${n==="unifiedpush"||n==="webhook"?c`<label class="field"><span>URL</span><input type="url" value=${s} onInput=${d=>a(d.target.value)} /></label>`:c`<label class="field"><span>Token</span><input type="text" value=${r} onInput=${d=>i(d.target.value)} /></label>`}
      ${n==="apns"&&c`<label class="field"><span>Topic</span><input type="text" value=${u} onInput=${d=>p(d.target.value)} /></label>`}
      <div class="row">
        <button type="submit" class="btn">Set</button>
        ${e&&e.endpoint&&c`<button type="button" class="btn danger" onClick=${h}>Turn off</button>`}
      </div>
    </form>
  </div>`}function ra(){let[e,t]=g("");D(()=>{M("/v1/presence/privacy").then(o=>t(o.who)).catch(k)},[]);let n=async o=>{try{await U("/v1/presence/privacy",{who:o}),t(o),R("Saved.")}catch(s){k(s)}};return c`<div class="card">
    <h3>Privacy</h3>
    <label class="field">
      <span>Who sees when you are online and when you were last seen</span>
      <select value=${e} onChange=${o=>n(o.target.value)}>
        ${!e&&c`<option value="">Loading…</option>`}
        <option value="everyone">Everyone</option>
        <option value="contacts">My contacts</option>
        <option value="nobody">Nobody</option>
      </select>
    </label>
  </div>`}var tn=[[0,"Never (download when I ask)"],[1<<20,"Files up to 1 MB"],[16<<20,"Files up to 16 MB"],[100<<20,"Files up to 100 MB"],[16*1024*1024*1024,"All files"]];function ia(){let e=v(s=>s.autoDownload),t=e?e.max_bytes:null,n=t==null||tn.some(([s])=>s===t)?tn:[...tn,[t,"Files up to "+Z(t)]],o=async s=>{try{await U("/v1/media-settings/auto-download",{max_bytes:Number(s)}),await jt()}catch(a){k(a)}};return c`<div class="card">
    <h3>Automatic downloads</h3>
    <label class="field">
      <span>Download files on arrival</span>
      <select value=${t==null?"":String(t)} onChange=${s=>o(s.target.value)}>
        ${n.map(([s,a])=>c`<option value=${String(s)}>${a}</option>`)}
      </select>
    </label>
    <p class="muted">Each chat can have its own setting in its details.</p>
  </div>`}function ca(){let[e,t]=g(localStorage.getItem("pigeon.theme")||"system"),[n,o]=g(it()),s=a=>{localStorage.setItem("pigeon.theme",a),t(a),nn(a)};return c`<div class="card">
    <h3>Appearance and notifications</h3>
    <fieldset class="field">
      <legend class="label">Theme</legend>
      <div class="row">
        ${["system","light","dark"].map(a=>c`<label key=${a}><input type="radio" name="theme" value=${a} checked=${e===a} onChange=${()=>s(a)} /> ${a==="system"?"Follow the system":a==="light"?"Light":"Dark"}</label>`)}
      </div>
    </fieldset>
    <p>
      Notifications:
      ${n==="granted"?" on, while this tab is in the background.":n==="denied"?" blocked in this browser’s site settings.":n==="unsupported"?" not supported by this browser.":c` <button type="button" class="btn" onClick=${async()=>o(await ct())}>Turn on</button>`}
    </p>
  </div>`}function la(){return c`<div class="card">
    <h3>This browser</h3>
    <p class="muted">Signing out ends this browser's session; run <code>pigeon web</code> to sign in again.</p>
    <button type="button" class="btn danger" onClick=${async()=>{try{await P("/v1/web/logout")}catch(t){if(t.status!==401)return k(t)}f.boot="signedout",f.me=null,location.replace("/")}}>Sign out</button>
  </div>`}function Xo(){return c`<section class="pane page" aria-labelledby="settings-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${L}><${$} name="back" /></a>
      <h2 id="settings-title">Settings</h2>
    </header>
    <div class="page-body">
      <${xo} />
      <${vo} />
      <${ca} />
      <${ra} />
      <${ia} />
      <${sa} />
      <${aa} />
      <${la} />
    </div>
  </section>`}function ua(){let e=f.convs.map(n=>({key:n.key,name:n.name||Q(n.key),group:!!n.group})),t=new Set(e.map(n=>n.key));for(let n of f.contacts.values()){let o=he(n.account);t.has(o)||e.push({key:o,name:n.name||Q(o),group:!1})}return e}function Zo({onClose:e}){let[t,n]=g(""),[o,s]=g(0),a=_e(),r=t.trim().toLowerCase(),i=ua(),u=(r?i.filter(h=>h.name.toLowerCase().includes(r)):i).slice(0,50),p=Math.min(o,u.length-1),l=h=>{h&&(e(),O(ge(h.key)))},m=h=>{h.key==="ArrowDown"?(h.preventDefault(),s((p+1)%Math.max(1,u.length))):h.key==="ArrowUp"?(h.preventDefault(),s((p-1+u.length)%Math.max(1,u.length))):h.key==="Enter"&&(h.preventDefault(),l(u[p]))};return c`<${E} title="Go to chat" onClose=${e} class="switcher">
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
      ${u.map((h,d)=>c`<li id=${"sw-"+d} key=${h.key} role="option" aria-selected=${d===p?"true":"false"} onClick=${()=>l(h)} data-key=${h.key}>
          <${H} small name=${h.name} group=${h.group} />
          ${h.name}
        </li>`)}
      ${!u.length&&c`<li class="muted" role="option" aria-disabled="true" aria-selected="false">No chat matches.</li>`}
    </ul>
  </${E}>`}var pa=500,dt=null,es="";function ns(){return f.boot="setup",f.setup=null,b(),new Promise(e=>{dt=e,ss()})}function os(){let e=dt;dt=null,e&&e()}async function ss(){if(dt){try{f.setup=await M("/v1/setup"),f.setupDown=""}catch(e){f.setupDown=e.message}if(b(),f.setup&&f.setup.state==="ready"){os();return}setTimeout(ss,pa)}}var ts=e=>(e||0).toLocaleString("en-US");function da({failed:e,onLink:t}){let[n,o]=g(!1),[s,a]=g("");return c`<div class="setup-choice">
    <button type="button" class="btn primary create-account" disabled=${n} onClick=${async()=>{o(!0),a("");try{await P("/v1/setup/create"),f.setup={state:"creating"},b()}catch(i){a(i.message)}o(!1)}}>Create a new account</button>
    <button type="button" class="btn link-account" disabled=${n} onClick=${t}>Link to an account I already have</button>
    ${(s||e)&&c`<p class="error-text setup-error" role="alert">${s||e.error}</p>`}
  </div>`}function fa({failed:e,onBack:t}){let[n,o]=g(""),[s,a]=g(es),[r,i]=g(!1),[u,p]=g(""),l=async h=>{h.preventDefault(),i(!0),p("");try{await P("/v1/setup/link",{code:n.trim(),name:s.trim()}),f.setup={state:"linking"},b()}catch(d){p(d.message)}i(!1)},m=u||e&&e.error;return c`<form class="setup-link" onSubmit=${l}>
    <p>On the device that has your account, open Settings › Devices › <strong>Link a device</strong> (or run <code>pigeon devices link</code>), then paste its code here.</p>
    <label class="field">
      <span>Link code</span>
      <textarea class="mono link-code link-code-input" rows="4" spellcheck="false" placeholder="pigeon-link:…" value=${n} onInput=${h=>o(h.target.value)}></textarea>
    </label>
    <${ye} onText=${o} />
    <label class="field">
      <span>Name of this device (optional)</span>
      <input type="text" class="device-name-input" maxlength="64" placeholder="this computer's name" value=${s} onInput=${h=>a(es=h.target.value)} />
    </label>
    ${m&&c`<p class="error-text setup-error" role="alert" data-code=${u?"":e.code}>${m}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${t}>Back</button>
      <button type="submit" class="btn primary" disabled=${r||!n.trim()}>Link this device</button>
    </div>
  </form>`}function as(){let e=v(a=>a.setup),t=v(a=>a.setupDown),[n,o]=g(""),s;if(!e)s=c`<p class="muted">Asking the daemon…</p>`;else if(e.state==="creating")s=c`<p role="status">Creating your account…</p>`;else if(e.state==="linking")s=e.sas?c`<p>Check that your other device shows this code, and confirm there:</p>
          <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
          <p class="muted">If it shows other digits, cancel there: someone else has your link code.</p>`:c`<p role="status">Asking your other device…</p>`;else if(e.state==="syncing"||e.state==="ready"){let a=e.history||{};s=c`<p>This device is linked to your account.</p>
      <p class="setup-history" role="status">${a.error?"Getting your history stopped ("+a.error+"); it goes on when the devices meet again.":"Getting your history: "+ts(a.done)+" of "+ts(a.total)}</p>
      <progress max=${a.total||1} value=${a.done||0}></progress>
      <button type="button" class="btn open-app" onClick=${os}>Open Pigeon now</button>`}else n==="link"||n===""&&e.error&&e.error.code!=="internal"?s=c`<${fa} failed=${e.error} onBack=${()=>o("choice")} />`:s=c`<p>This device has no Pigeon account yet.</p><${da} failed=${e.error} onLink=${()=>o("link")} />`;return c`<main class="signin setup" aria-labelledby="setup-title" data-state=${e?e.state:""}>
    <h1 id="setup-title">Set up Pigeon</h1>
    ${s}
    ${t&&c`<p class="error-text" role="alert">${t}</p>`}
  </main>`}function ma(){return c`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in to Pigeon</h1>
    <p>This browser is not signed in to your Pigeon node (or its session ended).</p>
    <p>In a terminal on this computer, run <code>pigeon web</code>: it prints a one-time login link and opens it in your browser.</p>
    <p class="muted">The link works once, for 10 minutes. The session then lasts 30 days from its last use.</p>
  </main>`}function ha(){let e=v(t=>t.toasts);return c`<div class="toasts" role="status" aria-live="polite">
    ${e.map(t=>c`<div key=${t.id} class=${"toast "+t.kind} role=${t.kind==="error"?"alert":void 0}>
        <span class="grow">${t.text}</span>
        <button type="button" aria-label="Dismiss" onClick=${()=>Ft(t.id)}><${$} name="close" /></button>
      </div>`)}
  </div>`}function ga(){return c`<main class="pane empty-pane" id="main">
    <div class="card">
      <h2>Pigeon</h2>
      <p>Pick a chat on the left, or press <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump to one.</p>
      <p class="muted">Messages are end-to-end encrypted and stored on your own node.</p>
    </div>
  </main>`}function _a(){let e=v(i=>i.boot),t=v(i=>i.storageFull),n=po(),[o,s]=g("");if(D(()=>{n.name==="chat"?Bt(n.key):Jn()},[n.name,n.key,e]),D(()=>{let i=u=>{(u.ctrlKey||u.metaKey)&&!u.altKey&&u.key.toLowerCase()==="k"&&(u.preventDefault(),s("switcher"))};return document.addEventListener("keydown",i),()=>document.removeEventListener("keydown",i)},[]),e==="signedout")return c`<${ma} />`;if(e==="setup")return c`<${as} />`;if(e==="error")return c`<main class="signin"><h1>Pigeon</h1><p class="error-text">${f.bootError}</p></main>`;let a=()=>s(""),r;if(n.name==="chat"){let i=c`<${Bo} key=${n.key} chatKey=${n.key} info=${n.info} />`,u=n.info&&(n.key.startsWith("g:")?c`<${Jo} id=${n.key.slice(2)} />`:c`<${Yo} account=${n.key.slice(2)} />`);r=c`<main class="pane" id="main">${u?c`<div class="with-drawer">${i}${u}</div>`:i}</main>`}else n.name==="contacts"?r=c`<${Go} onAdd=${()=>s("contact")} />`:n.name==="me"?r=c`<${zo} />`:n.name==="settings"?r=c`<${Xo} />`:n.name==="requests"?r=c`<${So} />`:r=c`<${ga} />`;return c`<div class=${"app"+(n.name!=="home"?" chat-open":"")} data-boot=${e}>
    <a class="skip" href="#main">Skip to conversation</a>
    <${Po}
      current=${n.key}
      onNewGroup=${()=>s("group")}
      onAddContact=${()=>s("contact")}
      onJoin=${()=>s("join")}
    />
    ${t&&c`<div class="banner" role="alert">The disk is nearly full: free some space to receive messages and files again.</div>`}
    ${r}
    ${o==="switcher"&&c`<${Zo} onClose=${a} />`}
    ${o==="group"&&c`<${Vo} onClose=${a} />`}
    ${o==="contact"&&c`<${Wo} onClose=${a} />`}
    ${o==="join"&&c`<${Ko} onClose=${a} />`}
    <${bo} />
    <${ha} />
  </div>`}function ya(){let e=v(t=>t.conn);return D(()=>{document.body.dataset.conn=e},[e]),c`<${_a} />`}function $a(){return new Promise(e=>document.hidden?e():requestAnimationFrame(()=>setTimeout(e)))}async function va(){Rn(()=>{f.boot="signedout",b()});let e=M("/v1/info");e.catch(()=>{}),await $a();let t=document.getElementById("app");t.textContent="",t.className="",bt(c`<${ya} />`,t);try{f.me=await e.catch(async n=>{if(n.code!=="not_set_up")throw n;return await ns(),f.boot="loading",M("/v1/info")})}catch(n){n.status!==401&&(f.boot="error",f.bootError=n.message),b();return}b(),ut(),document.addEventListener("visibilitychange",()=>{eo(document.visibilityState==="visible"),document.hidden||Kt()}),window.addEventListener("online",Kt),Yn(ho)}nn();va();
