/* Pigeon web client, bundled from js/ (go generate). Includes Preact (MIT) and htm (Apache-2.0): vendor/LICENSE-preact.txt, vendor/LICENSE-htm.txt. */
var T,rn,as,re,mt,Be,cn,We,ln,gt,ht,is,De=Symbol.for("pv"),Ge={},ze=[],rs=/^m(i|n|o|s|text|space)$/,_t=Array.isArray,$t=ze.slice,me=Object.assign;function fe(e){e&&e.parentNode&&e.remove()}function un(e,t,n){var o,s,a,i={},c=arguments.length;for(a in t)a=="key"?o=t[a]:a=="ref"&&typeof e!="function"?s=t[a]:i[a]=t[a];return c>2&&(i.children=c>3?$t.call(arguments,2):n),Se(e,i,o,s,null)}function Se(e,t,n,o,s){var a={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:De,__v:s||++rn,__i:-1,__u:0};return!s&&T.vnode&&T.vnode(a),a}function Me(e){return e.children}function ce(e,t){this.props=e,this.context=t,this.__g=0}function le(e,t){if(t==null)return e.__&&le(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:le(e)}function cs(e){var t,n=e.__v,o=n.__e,s=[],a=[],i=e.__P;i&&((t=me({constructor:De},n)).__v=n.__v+1,T.vnode&&T.vnode(t),yt(i,t,n,e.__n,i.namespaceURI,32&n.__u?[o]:null,s,o||le(n),32&n.__u,a),t.__v=n.__v,t.__.__k[t.__i]=t,gn(s,t,a),n.__=n.__e=null,t.__e!=o&&pn(t))}function pn(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),pn(e)}function sn(e){(8&e.__g||(e.__g|=8,re.push(e),Be++))&&mt==T.debounceRendering||((mt=T.debounceRendering)||queueMicrotask)(dn)}function dn(){try{for(var e,t=1;re.length;)re.length>t&&re.sort(cn),e=re.shift(),t=re.length,8&e.__g&&cs(e)}finally{(Be=re.length)&&(mt||queueMicrotask)(dn)}}function fn(e,t,n,o,s,a,i,c,u,p,l){var m,h,d,$,_,w,x=o.__k||ze,C=t.length;for(u=ls(n,t,x,u,C),m=0;m<C;m++)(d=n.__k[m])!=null&&(h=~d.__i&&x[d.__i]||Ge,d.__i=m,w=yt(e,d,h,s,a,i,c,u,p,l),$=d.__e,(h.ref!=d.ref||8&h.__u)&&(h.ref&&vt(h.ref,null,d,h),d.ref&&l.push(d.ref,d.__c||$,d)),_=_||$,4&d.__u?(u=mn(d,u,e,!h.__v),h.__e&&(h.__e=null)):typeof d.type=="function"&&w!==void 0?u=w:$&&(u=$.nextSibling),d.__u&=-21);return n.__e=_,u}function ls(e,t,n,o,s){var a,i,c,u,p,l,m,h,d,$=n.length,_=$,w=0,x=0,C=e.__k=Array(s);for(a=0;a<s;a++)(i=t[a])!=null&&typeof i!="boolean"&&typeof i!="function"?(typeof i!="object"||i.constructor===String?i=C[a]=Se(null,i):_t(i)?i=C[a]=Se(Me,{children:i}):i.constructor===De&&i.__b?i=C[a]=Se(i.type,i.props,i.key,i.ref,i.__v):C[a]=i,u=a+w,i.__=e,i.__b=e.__b+1,c=null,~(p=i.__i=us(i,n,u,_))&&(_--,(c=n[p])&&(c.__u|=2)),c&&c.__v?(i.__u|=16,p==u-1?w--:p==u+1?w++:p!=u&&(p>u?w--:w++,x=1)):(~p||(s>$?w--:s<$&&w++),typeof i.type!="function"&&(i.__u|=4))):C[a]=null;if(x){for(l=[],m=[],a=0;a<s;a++)if((i=C[a])&&16&i.__u){for(w=0,h=l.length;w<h;)l[d=w+h>>1]<i.__i?w=d+1:h=d;l[w]=i.__i,m[a]=w+1}for(w=l.length;a--;)m[a]&&(m[a]==w?w--:C[a].__u|=4)}if(_)for(a=0;a<$;a++)!(c=n[a])||2&c.__u||(c.__e==o&&(o=le(c)),bt(c,c));return o}function mn(e,t,n,o){var s,a,i,c;if(typeof e.type=="function"){if(e.props.__P)return t;if(s=e.__k)for(a=0;a<s.length;a++)s[a]&&(s[a].__=e,t=mn(s[a],t,n,!1));return t}for(t&&!t.parentNode&&(t=le(e))&&!t.parentNode&&(t=null),i=e.__e,c=t;c&&c.nodeType==8;)c=c.nextSibling;for(i!=c&&(!o&&n.moveBefore&&i.parentNode?n.moveBefore(i,t):n.insertBefore(i,t||null)),t=i;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function us(e,t,n,o){var s,a=e.key,i=e.type,c=t[n],u=c&&!(2&c.__u);if(c===null&&a==null||u&&a==c.key&&i==c.type)return n;if(o>(u?1:0)){for(s=n-1;s>=0;s--)if((c=t[s])&&!(2&c.__u)&&a==c.key&&i==c.type)return s;for(s=n+1;s<t.length;s++)if((c=t[s])&&!(2&c.__u)&&a==c.key&&i==c.type)return s}return-1}function an(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function je(e,t,n,o,s){var a,i;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||an(e.style,t);if(n)for(t in n)o&&n[t]==o[t]||an(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof o!="function"&&(o=null),(e.__e||(e.__e={}))[t]=n,n&&o||(i=ht[t]||(ht[t]=ps(t)),(e.__a||(e.__a={}))[t]=gt,a=t!=(t=t.replace(ln,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,i,a):e.removeEventListener(t,i,a));else{if(s=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function ps(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[We]==null)t[We]=gt++;else if(t[We]<this.__a[e])return;return n(T.event?T.event(t):t)}}}function yt(e,t,n,o,s,a,i,c,u,p){var l,m,h,d,$,_,w,x,C,A,R,ae,Fe,ye,S,on,ie,de,K=t.type;if(t.constructor!==De)return null;128&n.__u&&(u=32&n.__u,l=n.__c.__z)&&(t.__u|=u,m=a=[],l.nodeType==8?c=He(l,a):a.push(l),c=a[0]||c),(l=T.__b)&&l(t);e:if(typeof K=="function"){h=i.length;try{if(x=t.props,C=(l=K.prototype)&&l.render,A=(l=K.contextType)&&o[l.__c],R=l?A?A.props.value:l.__:o,(d=n.__c)?(t.__c=d,2&d.__g&&(d.__g|=1)):(C?t.__c=d=new K(x,R):(t.__c=d=new ce(x,R),d.constructor=K,d.render=fs),A&&A.sub(d),d.state||(d.state={}),d.__n=o,d.__g|=8,d.__h=[],d.__k=[]),C&&(d.__s||(d.__s=d.state),K.getDerivedStateFromProps&&(d.__s==d.state&&(d.__s=me({},d.__s)),me(d.__s,K.getDerivedStateFromProps(x,d.__s)))),$=d.props,_=d.state,d.__v=t,n.__c){if(x!==$&&C&&!K.getDerivedStateFromProps&&d.componentWillReceiveProps&&d.componentWillReceiveProps(x,R),t.__v==n.__v&&!(8&d.__g)||!(4&d.__g)&&d.shouldComponentUpdate&&d.shouldComponentUpdate(x,d.__s,R)===!1){t.__v!=n.__v&&(d.props=x,d.state=d.__s,d.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(B){B&&(B.__=t)}),ze.push.apply(d.__h,d.__k),d.__k=[],d.__h.length&&i.push(d),c=le(n);break e}d.componentWillUpdate&&d.componentWillUpdate(x,d.__s,R),C&&d.componentDidUpdate&&d.__h.push(function(){d.componentDidUpdate($,_,w)})}else C&&!K.getDerivedStateFromProps&&d.componentWillMount&&d.componentWillMount(),C&&d.componentDidMount&&d.__h.push(d.componentDidMount);d.context=R,d.props=x,d.__P=e,d.__g&=-5,ae=T.__r,Fe=C?25:0;do d.__g&=-9,ae&&ae(t),l=d.render(d.props,d.state=d.__s,d.context);while(8&d.__g&&++Fe<25);C&&(ze.push.apply(d.__h,d.__k),d.__k=[]),d.state=d.__s,d.getChildContext&&(o=me({},o,d.getChildContext())),C&&n.__c&&d.getSnapshotBeforeUpdate&&(w=d.getSnapshotBeforeUpdate($,_)),ye=l&&l.type===Me&&l.key==null?l.props.children:l,x.__P&&(l=c,s=(e=x.__P).namespaceURI,u=a=null,n.props&&n.props.__P!=e&&(n.__k.some(function(B){B&&bt(B,B)}),n.__k=null),c=n.__k?le(n,0):null),c=fn(e,_t(ye)?ye:[ye],t,n,o,s,a,i,c,u,p),x.__P&&(t.__e=null,c=l),t.__u&=-161,m&&m.some(fe),d.__h.length&&i.push(d),1&d.__g&&(d.__g&=-4)}catch(B){if(i.length=h,t.__v=null,u||a)if(B&&B.then){if(t.__u|=128|u,a){for(~(ie=a.indexOf(c||void 0))||(ie=a.length);(de=a[ie-1])&&de.nodeType==8;)ie--;for(;ie<a.length;ie++)if(de=a[ie])if(a[ie]=null,S){if(de==on)break}else{if(de.nodeType!=8)break;de.data.startsWith("$s")&&(on=He(S=de))}}if(!S){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;S=c}(l=He(S=t.__c.__z||(t.__c.__z=S)))?(t.__e=S,c=l):t.__e=c,c=c&&c.nextSibling}else a&&a.some(fe);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),B&&B.then||hn(t),T.__e(B,t,n)}}else c=t.__e=ds(n.__e,t,n,o,s,a,i,u,p,e);return(l=T.diffed)&&l(t),c}function He(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function hn(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(hn))}function gn(e,t,n){for(var o=0;o<n.length;)vt(n[o++],n[o++],n[o++]);T.__c&&T.__c(t,e),e.some(function(s){try{e=s.__h,s.__h=[],e.some(function(a){a.call(s)})}catch(a){T.__e(a,s.__v)}})}function ds(e,t,n,o,s,a,i,c,u,p){var l,m,h,d,$,_,w,x,C=n.props||Ge,A=t.props,R=t.type;if(R=="svg"?s="http://www.w3.org/2000/svg":R=="math"?s="http://www.w3.org/1998/Math/MathML":s||(s="http://www.w3.org/1999/xhtml"),a){for(l=0;l<a.length;l++)if(($=a[l])&&(R?$.localName==R:$.nodeType==3)){e=$,a[l]=null;break}}if(!e){if(x=p.ownerDocument||document,!R)return x.createTextNode(A);e=x.createElementNS(s,R,A.is?A:p),c&&(T.__m&&T.__m(t,a),c=!1),a=null}if(R){if(p=R=="template"&&e.content||e,a=R=="textarea"&&A.defaultValue!=null?null:a&&$t.call(p.childNodes),!c&&a)for(C={},l=0;l<e.attributes.length;l++)C[($=e.attributes[l]).name]=$.value;for(l in C)$=C[l],l=="dangerouslySetInnerHTML"?h=$:l=="children"||l in A||l=="value"&&"defaultValue"in A||l=="checked"&&"defaultChecked"in A||je(e,l,null,$,s);for(l in A)$=A[l],l=="children"?d=$:l=="dangerouslySetInnerHTML"?m=$:l=="value"?_=$:l=="checked"?w=$:c&&typeof $!="function"||C[l]===$||je(e,l,$,C[l],s);m?(c||h&&(m.__html==h.__html||m.__html==e.innerHTML)||(e.innerHTML=m.__html),t.__k=[]):(h&&(e.textContent=""),(R=="foreignObject"||s=="http://www.w3.org/1998/Math/MathML"&&rs.test(R))&&(s="http://www.w3.org/1999/xhtml"),fn(p,_t(d)?d:[d],t,n,o,s,a,i,a?a[0]:n.__k&&le(n,0),c,u),a&&a.some(fe)),c&&R!="textarea"||(l="value",R=="progress"&&_==null?e.removeAttribute(l):_==null||_===e[l]&&(R!="progress"||_)||je(e,l,_,C[l],s),l="checked",w!=null&&w!=e[l]&&je(e,l,w,C[l],s))}else C===A||c&&e.data==A||(e.data=A);return e}function vt(e,t,n,o){try{typeof e=="function"?t?t.__x=e(t)||1:o&&(o=o.__c||o.__e)&&(t=o.__x)&&(o.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(s){T.__e(s,n)}}function bt(e,t,n){var o,s,a,i;if(T.unmount&&T.unmount(e),!(o=e.ref)||o.current&&o.current!=e.__e||vt(o,null,t,e),o=e.__c){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(c){T.__e(c,t)}o.__P=o.__n=null}if(o=e.__k)for(i=0;i<o.length;i++)o[i]&&bt(o[i],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(o=e.__c)&&(o=o.__z)&&(s=He(o,a=[]))&&(o==e.__e&&a.some(fe),fe(s),fe(o)),n||fe(e.__e),e.__e=e.__c=e.__=null}function fs(e,t,n){return this.constructor(e,n)}function wt(e,t){var n,o,s,a;T.__&&T.__(e,t),t.nodeType==9&&(t=t.documentElement),o=(n=e&&32&e.__u)?null:t.__k,t.__k=Se(Me,{children:[e]}),s=[],a=[],yt(t,t.__k,o||Ge,Ge,t.namespaceURI,o?null:t.firstChild?$t.call(t.childNodes):null,s,o?o.__e:t.firstChild,n,a),gn(s,t.__k,a),t.__k.props.children=null}T={__e:function(e,t,n,o){for(var s,a,i;t=t.__;)if((s=t.__c)&&!(1&s.__g)){s.__g|=4;try{if((i=(a=s.constructor)&&a.getDerivedStateFromError)&&s.setState(a.getDerivedStateFromError(e)),s.componentDidCatch&&(s.componentDidCatch(e,o||{}),i=1),i&&8&s.__g)return void(s.__g|=2)}catch(c){e=c}}throw Be=0,e}},rn=0,as=function(e){return e!=null&&e.constructor===De},ce.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=me({},this.state)),typeof e=="function"&&(e=e(me({},n),this.props)),e&&(me(n,e),this.__v&&(t&&this.__k.push(t),sn(this)))},ce.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),sn(this))},ce.prototype.render=Me,re=[],Be=0,cn=function(e,t){return e.__v.__b-t.__v.__b},We=Symbol(),ln=/(PointerCapture)$|Capture$/i,gt=0,ht={},is=0;var $n=function(e,t,n,o){var s;t[0]=0;for(var a=1;a<t.length;a++){var i=t[a++],c=t[a]?(t[0]|=i?1:2,n[t[a++]]):t[++a];i===3?o[0]=c:i===4?o[1]=Object.assign(o[1]||{},c):i===5?(o[1]=o[1]||{})[t[++a]]=c:i===6?o[1][t[++a]]+=c+"":i?(s=e.apply(c,$n(e,c,n,["",null])),o.push(s),c[0]?t[0]|=2:(t[a-2]=0,t[a]=s)):o.push(c)}return o},_n=new Map;function yn(e){var t=_n.get(this);return t||(t=new Map,_n.set(this,t)),(t=$n(this,t.get(e)||(t.set(e,t=(function(n){for(var o,s,a=1,i="",c="",u=[0],p=function(h){a===1&&(h||(i=i.replace(/^\s*\n\s*|\s*\n\s*$/g,"")))?u.push(0,h,i):a===3&&(h||i)?(u.push(3,h,i),a=2):a===2&&i==="..."&&h?u.push(4,h,0):a===2&&i&&!h?u.push(5,0,!0,i):a>=5&&((i||!h&&a===5)&&(u.push(a,0,i,s),a=6),h&&(u.push(a,h,0,s),a=6)),i=""},l=0;l<n.length;l++){l&&(a===1&&p(),p(l));for(var m=0;m<n[l].length;m++)o=n[l][m],a===1?o==="<"?(p(),u=[u],a=3):i+=o:a===4?i==="--"&&o===">"?(a=1,i=""):i=o+i[0]:c?o===c?c="":i+=o:o==='"'||o==="'"?c=o:o===">"?(p(),a=1):a&&(o==="="?(a=5,s=i,i=""):o==="/"&&(a<5||n[l][m+1]===">")?(p(),a===3&&(u=u[0]),a=u,(u=u[0]).push(2,0,a),a=0):o===" "||o==="	"||o===`
`||o==="\r"?(p(),a=2):i+=o),a===3&&i==="!--"&&(a=4,u=u[0])}return p(),u})(e)),t),arguments,[])).length>1?t:t[0]}var ve,N,kt,vn,xt=Object.is,Re=0,Tn=[],Ct=[],E=T,bn=E.__b,wn=E.__r,kn=E.diffed,xn=E.__c,Cn=E.unmount,Sn=E.__;function Ye(e,t){E.__h&&E.__h(N,e,Re||t),Re=0;var n=N.__H||(N.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function g(e){return Re=1,Ve(Rn,e)}function Ve(e,t,n){var o=Ye(ve++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):Rn(void 0,t),function(a){var i=(o.__N||o.__)[0],c=o.t(i,a);xt(i,c)||(o.__N=[c,o.__[1]],o.__c.setState({}))}],o.__c=N,!N.__f)){N.__f=!0;var s=N.shouldComponentUpdate;N.shouldComponentUpdate=function(a,i,c){var u=this.__H;if(!u)return!0;var p=!1,l=this.props!=a;if(u.__.some(function(h){h.__N&&(p=!0,xt(h.__[0],h.__N[0])||(l=!0))}),s){var m=s.call(this,a,i,c);return p?m||l:m}return!p||l}}return o.__}function D(e,t){var n=Ye(ve++,3);!E.__s&&Mt(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,N.__H.__h.push(n))}function Ie(e,t){var n=Ye(ve++,4);!E.__s&&Mt(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,N.__h.push(n))}function q(e){return Re=5,Dt(function(){return{current:e}},[])}function Dt(e,t){var n=Ye(ve++,7);return Mt(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function Qe(e,t){return Re=8,Dt(function(){return e},t)}function ms(){var e;do{for(;e=Ct.shift();)try{Te(e)}catch(n){E.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=Tn.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Te),t.__h.some(St),t.__h=[]}catch(n){t.__h=[],E.__e(n,e.__v)}}}while(Ct.length)}E.__b=function(e){N=null,bn&&bn(e)},E.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Sn&&Sn(e,t)},E.__r=function(e){wn&&wn(e),ve=0;var t=(N=e.__c).__H;t&&(kt==N?N.__h=[]:(t.__h.some(Te),t.__h.some(St),ve=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),kt=N},E.diffed=function(e){kn&&kn(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&Mn(Tn.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),kt=N=null},E.__c=function(e,t){t.some(function(n){try{n.__h.some(Te),n.__h=n.__h.filter(function(o){return!o.__||St(o)})}catch(o){n.__h=[function(){throw o}]}}),xn&&xn(e,t)},E.unmount=function(e){Cn&&Cn(e);var t,n,o=e.__c;o&&o.__H&&(o.__H.__.some(function(s){try{if(s.__P&&s.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}s.__P=n,Mn(Ct.push(s))}else Te(s)}catch(a){t=a}}),o.__H=void 0,t&&E.__e(t,o.__v))};var Dn=typeof requestAnimationFrame=="function";function hs(e){var t,n=function(){clearTimeout(o),Dn&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);Dn&&(t=requestAnimationFrame(n))}function Mn(e){e!=1&&vn==E.requestAnimationFrame||((vn=E.requestAnimationFrame)||hs)(ms)}function Te(e){var t=N,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),N=t}function St(e){var t=N;e.__c=e.__(),N=t}function Mt(e,t){return!e||e.length!=t.length||t.some(function(n,o){return!xt(n,e[o])})}function Rn(e,t){return typeof t=="function"?t(e):t}var r=yn.bind(un);function In(e){class t extends ce{shouldComponentUpdate(o){let s=this.props;for(let a in s)if(s[a]!==o[a])return!0;for(let a in o)if(!(a in s))return!0;return!1}render(o){return e(o)}}return t.displayName=e.name,t}var J=class extends Error{constructor(t,n,o){super(o||"request failed ("+t+")"),this.status=t,this.code=n||""}},Tt=()=>{};function Pn(e){Tt=e}async function Ln(e){let t=null;try{t=await e.json()}catch{t=null}return e.status===401&&Tt(),new J(e.status,t&&t.code,t&&t.error)}async function ue(e,t,n){let o={method:e,headers:{},credentials:"same-origin"};n!==void 0&&(o.headers["Content-Type"]="application/json",o.body=JSON.stringify(n));let s;try{s=await fetch(t,o)}catch{throw new J(0,"network","the daemon does not answer: is `pigeon daemon` still running?")}if(!s.ok)throw await Ln(s);return s.status===204||s.status===202?null:(s.headers.get("Content-Type")||"").includes("json")?s.json():s.text()}var M=e=>ue("GET",e),I=(e,t)=>ue("POST",e,t),O=(e,t)=>ue("PUT",e,t),Pe=(e,t)=>ue("PATCH",e,t),G=e=>ue("DELETE",e),X=encodeURIComponent;function Rt(e,t,n){let o=e.slice(2),s=e.startsWith("g:")?"/v1/groups/"+o:"/v1/conversations/"+o,a="?limit="+n;return t&&(a+="&before="+t),s+"/messages"+a}function En({key:e,file:t,caption:n,onProgress:o}){let s=new URLSearchParams;s.set(e.startsWith("g:")?"group":"to",e.slice(2)),t.name&&s.set("name",t.name),t.type&&s.set("mime",t.type),n&&s.set("caption",n);let a=new XMLHttpRequest;return{promise:new Promise((c,u)=>{a.open("POST","/v1/media?"+s.toString()),a.responseType="json",a.upload.onprogress=p=>o&&o(p.loaded,p.lengthComputable?p.total:t.size),a.onload=()=>{let p=a.response;if(a.status===201&&p&&p.id){c(p.id);return}a.status===401&&Tt(),u(new J(a.status,p&&p.code,p&&p.error))},a.onerror=()=>u(new J(0,"network","the upload was cut off: is the daemon still running?")),a.onabort=()=>u(new J(0,"aborted","upload cancelled")),a.send(t)}),abort:()=>a.abort()}}var be=e=>"/v1/media/"+e+"/content",It=e=>"/v1/media/"+e+"/thumbnail",he=e=>"/v1/qr.svg?text="+X(e);async function An(e){let t=await fetch("/v1/qr/decode",{method:"POST",credentials:"same-origin",headers:{"Content-Type":e.type||"application/octet-stream"},body:e});if(!t.ok)throw await Ln(t);return(await t.json()).text}function Pt(e,t){let n=document.createElement("a");n.href=be(e),n.download=t||"",n.rel="noopener",document.body.append(n),n.click(),n.remove()}var ge=e=>"p:"+e,we=e=>"g:"+e,ke=e=>e.group?we(e.group):ge(e.peer),_e=e=>(e.startsWith("g:")?"/group/":"/chat/")+e.slice(2),z=e=>e?e.slice(0,12)+"…":"",Lt=new Intl.DateTimeFormat(void 0,{hour:"2-digit",minute:"2-digit"}),Nn=new Intl.DateTimeFormat(void 0,{weekday:"long"}),gs=new Intl.DateTimeFormat(void 0,{year:"numeric",month:"short",day:"numeric"}),_s=new Intl.DateTimeFormat(void 0,{month:"short",day:"numeric"}),Un=e=>e?Date.parse(e):0,Je=e=>e?Lt.format(new Date(e)):"";function Ke(e){return new Date(e.getFullYear(),e.getMonth(),e.getDate()).getTime()}function Et(e){let t=new Date(e);return t.getFullYear()*1e4+t.getMonth()*100+t.getDate()}function Le(e,t=Date.now()){let n=new Date(e),o=Math.round((Ke(new Date(t))-Ke(n))/864e5);return o===0?"Today":o===1?"Yesterday":o>1&&o<7?Nn.format(n):gs.format(n)}function On(e,t=Date.now()){if(!e)return"";let n=new Date(e),o=Math.round((Ke(new Date(t))-Ke(n))/864e5);return o===0?Lt.format(n):o===1?"Yesterday":o>1&&o<7?Nn.format(n):_s.format(n)}function Xe(e,t=Date.now()){if(!e)return"";let n=Le(e,t),o=Lt.format(new Date(e));return n==="Today"?"last seen today at "+o:n==="Yesterday"?"last seen yesterday at "+o:"last seen "+n+" at "+o}function Z(e){if(e==null)return"";if(e<1024)return e+" B";let t=["KB","MB","GB","TB"],n=e/1024,o=0;for(;n>=1024&&o<t.length-1;)n/=1024,o++;return(n<10?n.toFixed(1):Math.round(n))+" "+t[o]}var At=(e,t)=>t>0?Math.min(100,Math.floor(e*100/t)):0,qn=e=>(e||"?").trim().slice(0,1).toUpperCase()||"?";function j(...e){return e.filter(Boolean).join(" ")}var $s=/pgi[a-z2-7]{160}/,ys=/pg[a-z2-7]{58}(?![a-z2-7])/;function Ze(e){let t=(e||"").trim(),n=t.toLowerCase(),o=n.match($s);if(o)return{kind:"invite",link:o[0]};let s=n.match(ys);if(!s)return null;let a="",i=t.indexOf("?");if(i>=0)try{a=new URLSearchParams(t.slice(i+1)).get("name")||""}catch{a=""}return{kind:"account",account:s[0],name:a}}function Fn(e,t){return"pigeon:"+e+(t?"?name="+encodeURIComponent(t):"")}var jn=e=>(e||"").replace(/(\d{5})(?=\d)/g,"$1 ");var tt=50,f={boot:"loading",bootError:"",me:null,conn:"connecting",convs:[],contacts:new Map,groups:new Map,presence:new Map,typing:new Map,progress:new Map,uploads:[],chats:new Map,open:"",identity:new Map,storageFull:!1,autoDownload:null,devices:null,linkOffer:null,linkRequest:null,historySync:null,setup:null,setupDown:"",toasts:[],visible:document.visibilityState==="visible"},Ee=new Set,Nt=!1;function v(){Nt||(Nt=!0,queueMicrotask(()=>{Nt=!1;for(let e of Ee)e()}))}function Yn(e){return Ee.add(e),()=>Ee.delete(e)}function vs(e,t){if(Object.is(e,t))return!0;if(!e||!t||typeof e!="object"||typeof t!="object")return!1;let n=Object.keys(e);if(n.length!==Object.keys(t).length)return!1;for(let o of n)if(!Object.is(e[o],t[o]))return!1;return!0}function b(e){let[,t]=Ve(s=>s+1,0),n=q(null),o=e(f);return n.current={sel:e,val:o},Ie(()=>{let s=()=>{let a=n.current;vs(a.sel(f),a.val)||t()};return Ee.add(s),s(),()=>Ee.delete(s)},[]),o}var bs=0;function L(e,t="info"){let n=++bs;f.toasts=[...f.toasts,{id:n,text:e,kind:t}],v(),setTimeout(()=>Ft(n),t==="error"?8e3:4e3)}function Ft(e){f.toasts=f.toasts.filter(t=>t.id!==e),v()}function k(e){e instanceof J&&e.status===401||L(e&&e.message?e.message:String(e),"error")}function W(e){if(!e)return"";if(f.me&&e===f.me.account)return"You";let t=f.contacts.get(e);return t&&t.name||z(e)}function Y(e){if(e.startsWith("g:")){let o=f.groups.get(e.slice(2));return o&&o.name||"Group "+e.slice(2,10)}let t=f.contacts.get(e.slice(2));if(t&&t.name)return t.name;let n=f.convs.find(o=>o.key===e);return n&&n.name||z(e.slice(2))}async function te(){let e=await M("/v1/contacts");f.contacts=new Map(e.map(t=>[t.account,t]));for(let t of e)if(t.identity_changed_at&&!f.identity.has(t.account)&&(f.identity=new Map(f.identity).set(t.account,{account:t.account,at:t.identity_changed_at})),!t.identity_changed_at&&f.identity.has(t.account)){let n=new Map(f.identity);n.delete(t.account),f.identity=n}v()}async function nt(){let e=await M("/v1/groups");f.groups=new Map(e.map(t=>[t.id,t])),v()}async function V(e){try{let t=await M("/v1/groups/"+e);f.groups=new Map(f.groups).set(e,t)}catch(t){if(t.status===404){let n=new Map(f.groups);n.delete(e),f.groups=n}else throw t}v()}function ws(e){return{key:e.group?we(e.group):ge(e.peer),peer:e.peer||"",group:e.group||"",name:e.name||"",last:e.last,unread:e.unread}}var Vn=0,Qn=new Map;async function pe(){let e=Vn,n=(await M("/v1/conversations")).map(ws);for(let s of n)(Qn.get(s.key)||0)>e&&(s.unread=0);let o=new Set(n.map(s=>s.key));for(let s of f.groups.values()){let a=we(s.id);!o.has(a)&&s.status==="active"&&n.push({key:a,peer:"",group:s.id,name:s.name,last:null,unread:0})}f.convs=n,v();for(let s of n.slice(0,30))s.peer&&!f.presence.has(s.peer)&&Kn(s.peer)}var Wn=0;function ne(){clearTimeout(Wn),Wn=setTimeout(()=>pe().catch(()=>{}),300)}var Ut=new Set;async function Kn(e){if(!Ut.has(e)){Ut.add(e);try{let t=await M("/v1/presence/"+e);f.presence=new Map(f.presence).set(e,t),v()}catch{}finally{Ut.delete(e)}}}async function jt(){f.autoDownload=await M("/v1/media-settings/auto-download"),v()}async function ot(){await Promise.all([te(),nt(),jt().catch(()=>{})]),await pe();let e=f.open;f.chats=new Map,f.boot="ready",v(),e&&await Wt(e)}function ks(e){return{key:e,msgs:[],ids:new Set,hasOlder:!0,loading:!1,ready:!1}}function ee(e){f.chats.set(e.key,e),v()}async function Wt(e){f.open=e,v();let t=f.chats.get(e);if(!t||!t.ready){t=ks(e),t.loading=!0,ee(t);try{let n=await M(Rt(e,"",tt)),o=f.chats.get(e),s=n.slice(),a=new Set(n.map(i=>i.id));for(let i of o.msgs)a.has(i.id)||(s.push(i),a.add(i.id));ee({...o,msgs:s,ids:a,hasOlder:n.length===tt,loading:!1,ready:!0})}catch(n){ee({...f.chats.get(e),loading:!1}),k(n)}}e.startsWith("p:")&&Kn(e.slice(2)),Ne(e)}function Jn(){f.open="",v()}async function Xn(e){let t=f.chats.get(e);if(!t||!t.ready||t.loading||!t.hasOlder)return 0;ee({...t,loading:!0});try{let n=t.msgs.length?t.msgs[0].id:"",o=await M(Rt(e,n,tt)),s=f.chats.get(e),a=o.filter(i=>!s.ids.has(i.id));for(let i of a)s.ids.add(i.id);return ee({...s,msgs:a.concat(s.msgs),hasOlder:o.length===tt,loading:!1}),a.length}catch(n){return ee({...f.chats.get(e),loading:!1}),k(n),0}}var Hn={pending:0,failed:0,sent:1,received:1,delivered:2,read:3};function Ae(e,{incoming:t=!1}={}){let n=ke(e),o=f.chats.get(n);if(o&&!o.ids.has(e.id))o.ids.add(e.id),ee({...o,msgs:o.msgs.concat([e])});else if(o){let u=o.msgs.findLast(p=>p.id===e.id);u&&(Hn[e.state]??0)>(Hn[u.state]??0)&&H(e.id,p=>({...p,state:e.state,pending:void 0}))}let s=f.convs.findIndex(u=>u.key===n),a=s>=0?f.convs[s]:null;if(a&&a.last&&a.last.id===e.id)return;let i=(a?a.unread:0)+(t&&!(f.open===n&&f.visible)?1:0),c={key:n,peer:e.peer||"",group:e.group||"",name:a&&a.name||e.peer_name||e.group_name||"",last:e,unread:i};f.convs=[c,...f.convs.filter(u=>u.key!==n)],v(),!a&&e.group&&!f.groups.has(e.group)&&V(e.group).catch(()=>{})}function H(e,t){let n=!1;for(let s of f.chats.values()){if(!s.ids.has(e))continue;let a=s.msgs.findLastIndex(c=>c.id===e);if(a<0)continue;let i=s.msgs.slice();i[a]=t(i[a]),ee({...s,msgs:i}),n=!0}let o=f.convs.findIndex(s=>s.last&&s.last.id===e);if(o>=0){let s=f.convs.slice();s[o]={...s[o],last:t(s[o].last)},f.convs=s,n=!0}return n&&v(),n}var Ot=new Set;async function st(e){for(let t of f.chats.values())if(t.ids.has(e))return;if(!Ot.has(e)){Ot.add(e);try{Ae(await M("/v1/messages/"+e))}catch{}finally{Ot.delete(e)}}}var qt=new Map,Bn=new Set;function Ne(e){if(!e||e!==f.open||!f.visible)return;let t=f.convs.find(i=>i.key===e),n=f.chats.get(e),o=n?n.msgs.filter(i=>i.direction==="in"&&i.state==="received").map(i=>i.id):[];if((!t||!t.unread)&&!o.length)return;if(qt.has(e)){Bn.add(e);return}let s=new Set(o),a=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/read":"/v1/conversations/"+e.slice(2)+"/read";qt.set(e,!0),I(a).then(()=>{Qn.set(e,++Vn),f.convs=f.convs.map(c=>c.key===e?{...c,unread:0}:c);let i=f.chats.get(e);i&&ee({...i,msgs:i.msgs.map(c=>s.has(c.id)&&c.state==="received"?{...c,state:"read"}:c)}),v()}).catch(k).finally(()=>{qt.delete(e),Bn.delete(e)&&Ne(e)})}function Zn(e){f.visible=e,v(),e&&Ne(f.open)}async function eo(e,t){let n=e.slice(2),o=e.startsWith("g:")?await I("/v1/groups/"+n+"/messages",{text:t}):await I("/v1/messages",{to:n,text:t}),s=await M("/v1/messages/"+o.id);return Ae(s),s}var xs=0;async function to(e,t,n){let o=++xs,s=t.type.startsWith("image/")?URL.createObjectURL(t):"",a=En({key:e,file:t,caption:n,onProgress:i=>{f.uploads=f.uploads.map(c=>c.uid===o?{...c,loaded:i}:c),v()}});f.uploads=[...f.uploads,{uid:o,key:e,name:t.name,size:t.size,loaded:0,error:"",abort:a.abort,preview:s}],v();try{let i=await a.promise,c=await M("/v1/messages/"+i);Ae(c),f.uploads=f.uploads.filter(u=>u.uid!==o)}catch(i){i.code==="aborted"?f.uploads=f.uploads.filter(c=>c.uid!==o):f.uploads=f.uploads.map(c=>c.uid===o?{...c,error:i.message}:c),i.code!=="aborted"&&k(i)}finally{s&&setTimeout(()=>URL.revokeObjectURL(s),6e4),v()}}function no(e){f.uploads=f.uploads.filter(t=>t.uid!==e),v()}var et=0,Gn=0;function at(e,t){let n=e.startsWith("g:")?"/v1/groups/"+e.slice(2)+"/typing":"/v1/conversations/"+e.slice(2)+"/typing";clearTimeout(Gn);let o=Date.now();if(t){if(Gn=setTimeout(()=>at(e,!1),5e3),o-et<3e3)return;et=o}else{if(!et)return;et=0}I(n,{active:t}).catch(()=>{})}async function Ht(e){try{await I("/v1/media/"+e+"/fetch"),H(e,t=>t.media?{...t,media:{...t.media,state:"fetching",error:""}}:t)}catch(t){k(t)}}function oo(e){f.progress=new Map(f.progress).set(e.id,{phase:e.phase,done:e.done||0,total:e.total||0,direction:e.direction}),v()}function so(e){if(H(e.id,t=>t.media?{...t,media:{...t.media,state:e.state,error:e.error||"",retry_until:e.retry_until||""}}:t),e.state!=="fetching"&&f.progress.has(e.id)){let t=new Map(f.progress);t.delete(e.id),f.progress=t,v()}}var zn=0;function ao(){let e=Date.now(),t=1/0,n=!1,o=new Map;for(let[s,a]of f.typing){let i=new Map;for(let[c,u]of a)u>e?(i.set(c,u),t=Math.min(t,u)):n=!0;i.size&&o.set(s,i)}n&&(f.typing=o,v()),clearTimeout(zn),t!==1/0&&(zn=setTimeout(ao,t-e+50))}function Bt(e,t,n,o){let s=new Map(f.typing),a=new Map(s.get(e)||[]);n?a.set(t,Un(o)||Date.now()+6e3):a.delete(t),a.size?s.set(e,a):s.delete(e),f.typing=s,v(),ao()}function io(e){let t=f.presence.get(e.account)||{};f.presence=new Map(f.presence).set(e.account,{...t,account:e.account,state:e.state,last_seen:e.last_seen||t.last_seen}),v()}async function Gt(e,t){await O("/v1/contacts/"+X(e),t?{name:t}:{}),await te(),ne()}async function ro(e){await I("/v1/contacts/"+X(e)+"/verify");let t=new Map(f.identity);t.delete(e),f.identity=t,await te()}async function co(e,t,n){let o=await I("/v1/groups",{name:e,description:t,members:n});return f.groups=new Map(f.groups).set(o.id,o),await pe(),o}async function it(e){let t=await I("/v1/groups/join",{link:e});return await nt(),await pe(),t}var rt=new Set;function F(e,{replace:t=!1}={}){if(e!==location.pathname){t?history.replaceState(null,"",e):history.pushState(null,"",e);for(let n of rt)n()}}window.addEventListener("popstate",()=>{for(let e of rt)e()});function lo(e=location.pathname){let t=e.split("/").filter(Boolean),[n,o,s]=t;return(n==="chat"||n==="group")&&o?{name:"chat",key:(n==="group"?"g:":"p:")+o,info:s==="info"}:n==="contacts"||n==="me"||n==="settings"?{name:n}:{name:"home"}}function uo(){let[e,t]=g(()=>lo());return D(()=>{let n=()=>t(lo());return rt.add(n),()=>rt.delete(n)},[]),e}function U(e){if(e.defaultPrevented||e.button!==0||e.metaKey||e.ctrlKey||e.shiftKey||e.altKey)return;let t=e.currentTarget;e.preventDefault(),F(t.getAttribute("href"))}var zt=()=>"Notification"in window,ct=()=>zt()?Notification.permission:"unsupported";async function lt(){return zt()?Notification.requestPermission():"unsupported"}function fo(e){if(!document.hidden||!zt()||Notification.permission!=="granted")return;let t=ke(e),n=Y(t),o=e.group?W(e.sender)+" in "+n:n,s=e.media?"📎 "+(e.text||e.media.name||"a file"):e.text;try{let a=new Notification(o,{body:s.slice(0,200),tag:t,icon:document.querySelector("link[rel=icon]").href});a.onclick=()=>{window.focus(),F(_e(t)),a.close()}}catch{}}var po="";function mo(){let e=0;for(let n of f.convs)e+=n.unread||0;let t=e>0?"("+e+") Pigeon":"Pigeon";t!==po&&(po=t,document.title=t)}var y=({name:e,label:t,class:n})=>t?r`<span class=${j("icon","i-"+e,n)} role="img" aria-label=${t}></span>`:r`<span class=${j("icon","i-"+e,n)} aria-hidden="true"></span>`;function Q({name:e,online:t,small:n,group:o}){return r`<span class=${j("avatar",n&&"small")} aria-hidden="true">
    ${o?r`<${y} name="group" />`:qn(e)}
    ${t&&r`<span class="dot"></span>`}
  </span>`}var Cs=0;function P({title:e,onClose:t,children:n,actions:o,class:s,label:a}){let i=q(null),c=q("dlg"+ ++Cs).current;return Ie(()=>{let u=i.current,p=document.activeElement;return u.open||u.showModal(),()=>{u.open&&u.close(),p&&p.focus&&document.contains(p)&&p.focus()}},[]),r`<dialog
    ref=${i}
    class=${s}
    aria-labelledby=${a?void 0:c}
    aria-label=${a}
    onCancel=${u=>{u.preventDefault(),t()}}
  >
    <header class="bar">
      <h2 id=${c}>${e}</h2>
      <button type="button" class="icon-btn" aria-label="Close" onClick=${t}><${y} name="close" /></button>
    </header>
    <div class="dialog-body">${n}</div>
    ${o&&r`<div class="dialog-actions">${o}</div>`}
  </dialog>`}function oe(){let e=q(null);return D(()=>{e.current&&e.current.focus()},[]),e}async function Ue(e){try{return await navigator.clipboard.writeText(e),!0}catch{return!1}}var Ss=["👍","❤️","😂","😮","😢","🙏"],Ds=24*3600*1e3,Ms=48*3600*1e3;function go(e){switch(e.type){case"message_edited":H(e.id,t=>({...t,text:e.text,edited:!0,edits:e.edits,edited_at:e.edited_at}))||st(e.id);return;case"message_deleted":H(e.id,t=>({...t,deleted:!0}))&&ne();return;case"reaction_changed":Ts(e.id);return}}async function Ts(e){try{let t=await M("/v1/messages/"+e);H(e,n=>({...n,reactions:t.reactions,text:t.text,edited:t.edited,edits:t.edits}))}catch{}}function _o(e){return e.direction==="out"||f.me&&e.sender===f.me.account}function Rs(e){if(_o(e))return Date.now()-Date.parse(e.sent_at)<Ms;if(!e.group)return!1;let t=f.groups.get(e.group);return!!(t&&t.settings&&t.settings.admins_delete&&(t.role==="admin"||t.role==="owner"))}async function $o(e,t){try{let n=await O("/v1/messages/"+e.id+"/reaction",{emoji:t});H(e.id,o=>({...o,reactions:n.reactions}))}catch(n){k(n)}}async function ho(e,t){try{await G("/v1/messages/"+e.id+"?for="+(t?"everyone":"me")),H(e.id,n=>({...n,deleted:!0})),ne()}catch(n){k(n)}}function Is({m:e,onClose:t}){let[n,o]=g(e.text||""),s=oe();return r`<${P} title="Edit message" onClose=${t} class="edit-dialog">
    <form class="edit-form" onSubmit=${async i=>{i.preventDefault();let c=n.trim();if(!c||c===e.text)return t();try{let u=await O("/v1/messages/"+e.id,{text:c});H(e.id,p=>({...p,text:u.text,edited:!0,edits:u.edits,edited_at:u.edited_at})),t()}catch(u){k(u)}}}>
      <textarea ref=${s} aria-label="New text" value=${n} onInput=${i=>o(i.target.value)}></textarea>
      <p class="muted">${10-(e.edits||0)} edits left. Everyone in the chat sees that it was edited, and the earlier versions.</p>
      <div class="row">
        <button type="submit" class="btn primary">Save</button>
        <button type="button" class="btn" onClick=${t}>Cancel</button>
      </div>
    </form>
  </${P}>`}function Ps({m:e,onClose:t}){let[n,o]=g(null),[s,a]=g("");return n===null&&!s&&M("/v1/messages/"+e.id+"/versions").then(i=>o(i||[])).catch(i=>a(i.message)),r`<${P} title="Edit history" onClose=${t}>
    ${s&&r`<p class="error-text">${s}</p>`}
    ${!n&&!s&&r`<p class="muted">Loading…</p>`}
    ${n&&r`<ol class="list versions">
      ${n.map(i=>r`<li key=${i.version} data-version=${i.version}>
          <span class="grow text">${i.text}</span>
          <span class="muted">${i.version===0?"original":"edit "+i.version} · <time datetime=${i.at}>${Je(i.at)}</time></span>
        </li>`)}
    </ol>`}
  </${P}>`}function Ls({m:e,onEdit:t,onClose:n}){let s=_o(e)&&(e.edits||0)<10&&Date.now()-Date.parse(e.sent_at)<Ds,a=i=>()=>{n(),i()};return r`<div class="msg-menu" role="menu" aria-label="Message actions">
    <div class="react-row" role="group" aria-label="React">
      ${Ss.map(i=>r`<button type="button" role="menuitem" class="emoji-btn" aria-label=${"React "+i} onClick=${a(()=>$o(e,i))}>${i}</button>`)}
    </div>
    ${s&&r`<button type="button" role="menuitem" class="menu-item" onClick=${a(t)}>Edit</button>`}
    <button type="button" role="menuitem" class="menu-item" onClick=${a(()=>ho(e,!1))}>Delete for me</button>
    ${Rs(e)&&r`<button type="button" role="menuitem" class="menu-item danger" onClick=${a(()=>ho(e,!0))}>Delete for everyone</button>`}
  </div>`}function Es({m:e}){if(!e.reactions||!e.reactions.length)return null;let t=f.me&&f.me.account;return r`<div class="reactions" aria-label="Reactions">
    ${e.reactions.map(n=>{let o=(n.accounts||[]).map(a=>a===t?"You":W(a)).join(", "),s=(n.accounts||[]).includes(t);return r`<button
        type="button"
        key=${n.emoji}
        class=${j("reaction",s&&"ours")}
        data-emoji=${n.emoji}
        data-count=${n.count}
        title=${o}
        aria-label=${n.emoji+" "+n.count+": "+o}
        onClick=${()=>$o(e,s?"":n.emoji)}
      >${n.emoji} ${n.count}</button>`})}
  </div>`}function yo({m:e}){let[t,n]=g("");return r`<div class="msg-actions">
    ${e.edited&&r`<button type="button" class="edited" onClick=${()=>n("versions")} aria-label="Edited: show earlier versions">edited</button>`}
    <${Es} m=${e} />
    <button type="button" class="icon-btn msg-menu-btn" aria-haspopup="menu" aria-expanded=${t==="menu"} aria-label="Message actions"
      onClick=${()=>n(t==="menu"?"":"menu")}>⋯</button>
    ${t==="menu"&&r`<${Ls} m=${e} onEdit=${()=>n("edit")} onClose=${()=>n("")} />`}
    ${t==="edit"&&r`<${Is} m=${e} onClose=${()=>n("")} />`}
    ${t==="versions"&&r`<${Ps} m=${e} onClose=${()=>n("")} />`}
  </div>`}function vo({g:e}){let t=async n=>{try{await Pe("/v1/groups/"+e.id,{settings:{...e.settings,admins_delete:n}}),await V(e.id)}catch(o){k(o)}};return r`<label class="field check">
    <input type="checkbox" checked=${!!(e.settings&&e.settings.admins_delete)} onChange=${n=>t(n.target.checked)} />
    <span>Admins can delete anyone's messages</span>
  </label>`}async function xe(){f.devices=await M("/v1/devices"),v()}var ut=e=>(e||0).toLocaleString("en-US");function As(e){let t=f.devices&&f.devices.devices.find(n=>n.id===e);return t&&t.name||"device "+e}function bo(e){f.linkRequest=e,v()}function wo(e){f.linkOffer=null,f.linkRequest&&f.linkRequest.peer_id===e.peer_id&&(f.linkRequest=null),v(),L("Linked "+(e.name||"a new device")+". It is getting your history now."),xe().catch(()=>{})}function ko(){xe().catch(()=>{})}function xo(e){f.historySync=e,v()}function Ns(e){return e.this?"":e.online?"online":e.last_seen?Xe(e.last_seen):"not seen since it was linked"}function Us(e,t){let n=Math.max(0,Math.round((Date.parse(e)-t)/1e3));return Math.floor(n/60)+":"+String(n%60).padStart(2,"0")}function Os({offer:e,onAgain:t}){let[n,o]=g(Date.now());return D(()=>{let s=setInterval(()=>o(Date.now()),1e3);return()=>clearInterval(s)},[]),Date.parse(e.expires)<=n?r`<div class="link-offer expired">
      <p>The link code expired.</p>
      <button type="button" class="btn" onClick=${t}>Make a new code</button>
    </div>`:r`<div class="link-offer">
    <p>On the new device run <code>pigeon init --link CODE</code> with this code, or scan it. It works once; keep it to yourself.</p>
    <img class="qr" src=${he(e.qr_text)} alt="QR code of the link code" width="220" height="220" />
    <textarea class="mono link-code" readonly rows="4" aria-label="Link code" value=${e.code} onFocus=${s=>s.target.select()}></textarea>
    <p class="muted" data-expires=${e.expires}>Expires in ${Us(e.expires,n)}</p>
    <button type="button" class="btn withdraw-link" onClick=${()=>qs(e)}>Cancel</button>
  </div>`}async function qs(e){try{await ue("DELETE","/v1/devices/link",{code:e.code})}catch(t){k(t)}f.linkOffer=null,v()}function Fs({d:e,holdsKey:t}){let[n,o]=g(!1),[s,a]=g(e.name),i=async p=>{p.preventDefault();try{await O("/v1/devices/"+e.id,{name:s.trim()}),o(!1),await xe()}catch(l){k(l)}},c=()=>{a(e.name),o(!0)},u=async()=>{if(confirm("Revoke "+(e.name||"device "+e.id)+"? It stops receiving your messages, and what it sends is no longer accepted. Link it again to use it."))try{await G("/v1/devices/"+e.id),L("Revoked "+(e.name||"device "+e.id)+"."),await xe()}catch(p){k(p)}};return n?r`<li data-device=${e.id}>
      <form class="row grow" onSubmit=${i}>
        <input type="text" class="grow" aria-label="Device name" value=${s} maxlength="64" onInput=${p=>a(p.target.value)} />
        <button type="submit" class="btn" disabled=${!s.trim()}>Save</button>
        <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
      </form>
    </li>`:r`<li data-device=${e.id}>
    <span class="grow">
      <span class="device-name">${e.name||"Device "+e.id}</span>
      ${e.this&&r` <span class="role">this device</span>`}
      <div class="relay-stats">${[e.platform,Ns(e),"added "+Le(e.added_at).toLowerCase()].filter(Boolean).join(" · ")}</div>
    </span>
    <button type="button" class="btn" onClick=${c} aria-label=${"Rename "+(e.name||"device "+e.id)}>Rename</button>
    ${t&&!e.this&&r`<button type="button" class="btn danger" onClick=${u} aria-label=${"Revoke "+(e.name||"device "+e.id)}>Revoke</button>`}
  </li>`}function js(){let e=b(n=>n.historySync);if(b(n=>n.devices),!e)return null;let t=As(e.device);return e.error?r`<p class="history-sync error-text" role="status">Syncing history from ${t} stopped at ${ut(e.done)} (${e.error}); it goes on when the devices meet again.</p>`:(e.done||0)>=(e.total||0)?r`<p class="history-sync muted" role="status">History synced from ${t}: ${ut(e.total)} changes.</p>`:r`<p class="history-sync" role="status">Syncing history from ${t}: ${ut(e.done)} of ${ut(e.total)}</p>`}function Co(){let e=b(o=>o.devices),t=b(o=>o.linkOffer);D(()=>{xe().catch(k);let o=setInterval(()=>xe().catch(()=>{}),3e4);return()=>clearInterval(o)},[]);let n=async()=>{try{f.linkOffer=await I("/v1/devices/link"),v()}catch(o){k(o)}};return r`<div class="card devices">
    <h3>Devices</h3>
    <p class="muted">Your account on other devices: each gets your history and everything you send, receive and read.</p>
    <ul class="list">
      ${(e?e.devices:[]).map(o=>r`<${Fs} key=${o.id+":"+o.name} d=${o} holdsKey=${e.holds_account_key} />`)}
    </ul>
    <${js} />
    ${e&&(e.holds_account_key?t?r`<${Os} offer=${t} onAgain=${n} />`:r`<button type="button" class="btn link-device" onClick=${n}>Link a device</button>`:r`<p class="muted">This device does not hold the account key: link and revoke devices on the one that does.</p>`)}
  </div>`}function So(){let e=b(n=>n.linkRequest);if(!e)return null;let t=async n=>{f.linkRequest=null,v();try{await I("/v1/devices/link-requests/"+e.id,{accept:n}),n||L("The device was not linked.")}catch(o){k(o)}};return r`<${P}
    title="Link a new device?"
    class="link-request"
    onClose=${()=>t(!1)}
    actions=${r`<button type="button" class="btn" onClick=${()=>t(!1)}>Cancel</button>
      <button type="button" class="btn primary confirm-link" onClick=${()=>t(!0)}>They match, link it</button>`}
  >
    <p><strong class="device-name">${e.name}</strong>${e.platform?" ("+e.platform+")":""} asks to join your account.</p>
    <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
    <p>Check that the new device shows the same six digits. If it does not, cancel: someone else has your link code.</p>
  <//>`}var se=null,Vt="",Oe=0,Yt=0,Qt=!1,qe=250,Do=0,Mo=Promise.resolve();function pt(){if(clearTimeout(Do),se)return;Qt=!!Vt;let e=Qt?"?epoch="+encodeURIComponent(Vt)+"&after="+Oe:"",t=location.protocol==="https:"?"wss:":"ws:",n=new WebSocket(t+"//"+location.host+"/v1/events"+e);se=n,n.onmessage=o=>{let s;try{s=JSON.parse(o.data)}catch{return}Mo=Mo.then(()=>Ws(s)).catch(a=>console.error("pigeon: event",s.type,a))},n.onclose=()=>{se===n&&(se=null,f.conn="down",v(),Do=setTimeout(pt,qe),qe=Math.min(qe*2,5e3))}}function Kt(){if(!(se&&se.readyState===WebSocket.OPEN)){if(se){let e=se;se=null,e.onclose=null,e.close()}qe=250,pt()}}async function Ws(e){if(e.type==="hello"){Vt=e.epoch||"",Yt=e.seq||0,f.conn="live",qe=250,v(),Qt||(Oe=Yt,await ot());return}if(e.type==="reset"){Oe=Yt,await ot();return}if(typeof e.seq=="number"){if(e.seq<=Oe)return;Oe=e.seq}Hs(e)}function Hs(e){switch(e.type){case"message_received":{let t=e.message;if(!t)return;let n=t.direction==="in";Ae(t,{incoming:n}),n&&(fo(t),Ne(ke(t)),ne());return}case"message_state_changed":{H(e.id,n=>({...n,state:e.state,pending:e.state==="pending"?n.pending:void 0}))||st(e.id);return}case"message_edited":case"message_deleted":case"reaction_changed":go(e);return;case"message_pending":{let t={code:e.code,reason:e.reason,attempts:e.attempts,next_attempt:e.next_attempt};for(let n of e.ids||[])H(n,o=>o.state==="pending"?{...o,pending:t}:o);return}case"typing":Bt(ge(e.from),e.from,e.active,e.until);return;case"group_typing":Bt(we(e.group),e.from,e.active,e.until);return;case"presence":io(e);return;case"group_changed":V(e.group).then(()=>e.change==="created"||e.change==="member_added"||e.change==="member_joined"?pe():null).catch(()=>{});return;case"group_receipt":f.receiptTick=(f.receiptTick||0)+1,v();return;case"media_progress":oo(e);return;case"media_state":so(e);return;case"contact_changed":te().then(ne).catch(()=>{});return;case"identity_changed":f.identity=new Map(f.identity).set(e.account,e),v(),te().catch(()=>{});return;case"storage":f.storageFull=e.state==="full",v(),f.storageFull&&L("The disk is nearly full: Pigeon cannot store new messages or files until you free some space.","error");return;case"link_request":bo(e);return;case"device_linked":wo(e);return;case"device_revoked":ko(e);return;case"history_sync":xo(e);return;case"dropped":ot().catch(()=>{}),nt().catch(()=>{});return}}function Bs(e){let t=e.last;if(!t)return e.group?"No messages yet":"";let n="";return t.direction==="out"?n="You: ":t.group&&(n=(t.sender_name||W(t.sender))+": "),t.media?n+"📎 "+(t.text?t.text:t.media.name||"file"):n+t.text}function Gs({c:e,current:t}){let n=e.name||Y(e.key),o=b(c=>e.peer?c.presence.get(e.peer):null),s=b(c=>c.typing.has(e.key)),a=o&&o.state==="online",i=n+(e.unread?", "+e.unread+" unread":"")+(a?", online":"");return r`<li>
    <a
      href=${_e(e.key)}
      class=${j("chat-item",e.unread>0&&"unread")}
      aria-current=${t?"page":void 0}
      aria-label=${i}
      onClick=${U}
      data-key=${e.key}
    >
      <${Q} name=${n} group=${!!e.group} online=${a} />
      <span class="grow">
        <span class="top">
          <span class="name">${n}</span>
          <span class="time">${e.last?On(e.last.sent_at):""}</span>
        </span>
        <span class="bottom">
          <span class="preview">${s?r`<em>typing…</em>`:Bs(e)}</span>
          ${e.unread>0&&r`<span class="badge" aria-hidden="true">${e.unread}</span>`}
        </span>
      </span>
    </a>
  </li>`}function zs(){let[e,t]=g(ct()),[n,o]=g(localStorage.getItem("pigeon.notify-banner")==="no");return e!=="default"||n?null:r`<div class="banner">
    <span class="grow">Get notified of new messages while this tab is in the background.</span>
    <button type="button" class="btn" onClick=${async()=>t(await lt())}>Turn on</button>
    <button
      type="button"
      class="icon-btn"
      aria-label="Not now"
      onClick=${()=>{localStorage.setItem("pigeon.notify-banner","no"),o(!0)}}
    ><${y} name="close" /></button>
  </div>`}function To({current:e,onNewGroup:t,onAddContact:n,onJoin:o}){let s=b(m=>m.convs),a=b(m=>m.conn),i=b(m=>m.me),[c,u]=g(""),p=c.trim().toLowerCase(),l=p?s.filter(m=>(m.name||Y(m.key)).toLowerCase().includes(p)||(m.peer||m.group).startsWith(p)):s;return r`<nav class="sidebar" aria-label="Chats">
    <header class="bar">
      <a href="/me" class="icon-btn" onClick=${U} aria-label="My account and QR code"><${Q} small name=${i?"Me":"?"} /></a>
      <h1 class="brand">Pigeon</h1>
      <button type="button" class="icon-btn" aria-label="New group" onClick=${t}><${y} name="group" /></button>
      <button type="button" class="icon-btn" aria-label="Add contact" onClick=${n}><${y} name="person-add" /></button>
      <button type="button" class="icon-btn" aria-label="Join a group by link" onClick=${o}><${y} name="link" /></button>
      <a href="/contacts" class="icon-btn" onClick=${U} aria-label="Contacts"><${y} name="people" /></a>
      <a href="/settings" class="icon-btn" onClick=${U} aria-label="Settings"><${y} name="gear" /></a>
    </header>
    ${a==="down"&&r`<div class="conn" role="status">Connection to the daemon lost; reconnecting…</div>`}
    <${zs} />
    <div class="filter" role="search">
      <label>
        <${y} name="search" />
        <span class="sr-only">Filter chats</span>
        <input
          type="search"
          placeholder="Filter chats (Ctrl+K: go to any chat)"
          value=${c}
          onInput=${m=>u(m.target.value)}
          onKeyDown=${m=>{m.key==="Enter"&&p&&l.length&&(m.preventDefault(),F(_e(l[0].key)))}}
          id="chat-filter"
        />
      </label>
    </div>
    <ul class="chats" aria-label="Chat list">
      ${l.map(m=>r`<${Gs} key=${m.key} c=${m} current=${m.key===e} />`)}
      ${!l.length&&r`<li class="hint">${p?"No chat matches “"+c+"”.":r`No chats yet. <a href="/contacts" onClick=${U}>Start one</a> with a contact, or add one by their account ID.`}</li>`}
    </ul>
  </nav>`}var Io={pending:"pending",sent:"sent",delivered:"delivered",read:"read",failed:"not sent"},Ys={pending:"clock",sent:"check",delivered:"check2",read:"check2",failed:"alert"};function Jt({state:e}){let t=Ys[e];return t?r`<span class=${j("icon","i-"+t,"tick","tick-"+e)} role="img" aria-label=${Io[e]} data-state=${e}></span>`:null}function Po(e,t){if(!e||!t)return{width:240,height:180};let n=Math.min(1,300/e,320/t);return{width:Math.max(40,Math.round(e*n)),height:Math.max(40,Math.round(t*n))}}function Ro(e,t){switch(e.state){case"fetching":return t&&t.total?"downloading "+At(t.done,t.total)+"%":"downloading…";case"retrying":return"waiting for the sender to come online…";case"failed":return"download failed"+(e.error?": "+e.error:"");case"removed":return"removed from this device";case"remote":return"not downloaded"}return""}function Lo({prog:e,label:t}){return!e||!e.total?r`<progress aria-label=${t}></progress>`:r`<progress aria-label=${t} max=${e.total} value=${e.done}></progress>`}function Eo({media:e,prog:t}){let n=e.state==="local",o=e.state==="fetching"||e.state==="retrying",s=t&&t.direction==="download"?t:null;return r`<div class="file-card" data-media-state=${e.state}>
    <${y} name="doc" class="big" />
    <div class="grow">
      <div class="file-name" title=${e.name}>${e.name||"file"}</div>
      <div class="file-meta">${Z(e.size)}${e.mime?" · "+e.mime:""}${Ro(e,s)&&" · "+Ro(e,s)}</div>
      ${o&&r`<${Lo} prog=${s} label=${"Downloading "+(e.name||"file")} />`}
    </div>
    ${n?r`<button type="button" class="icon-btn" aria-label=${"Save "+(e.name||"file")} onClick=${()=>Pt(e.id,e.name)}>
          <${y} name="download" />
        </button>`:!o&&r`<button type="button" class="icon-btn" aria-label=${"Download "+(e.name||"file")+", "+Z(e.size)} onClick=${()=>Ht(e.id)}>
          <${y} name="download" />
        </button>`}
  </div>`}function Vs({media:e,prog:t,onOpen:n}){let o=e.state==="local",s=Po(e.width,e.height),a=o?be(e.id):e.thumbnail?It(e.id):"";if(!a)return r`<${Eo} media=${e} prog=${t} />`;let i=e.state==="fetching"||e.state==="retrying";return r`<div>
    <button type="button" class=${j("media-img",!o&&"remote")} onClick=${n} aria-label=${"Open picture "+(e.name||"")}>
      <img src=${a} alt=${e.caption||e.name||"picture"} width=${s.width} height=${s.height} loading="lazy" decoding="async" />
    </button>
    ${!o&&r`<div class="row file-meta">
      ${i?r`<${Lo} prog=${t} label=${"Downloading "+(e.name||"picture")} />`:r`<button type="button" class="btn" onClick=${()=>Ht(e.id)}><${y} name="download" /> ${Z(e.size)}</button>`}
    </div>`}
  </div>`}function Ao({media:e,onClose:t}){return r`<${P} title=${e.name||"Picture"} onClose=${t} class="viewer">
    <div class="viewer-body">
      <img src=${be(e.id)} alt=${e.caption||e.name||"picture"} />
    </div>
    <div class="row">
      <button type="button" class="btn" onClick=${()=>Pt(e.id,e.name)}><${y} name="download" /> Save</button>
    </div>
  </${P}>`}function Qs({media:e,prog:t,onOpen:n}){let o=e.mime||"",s=e.state==="local";return o.startsWith("image/")?r`<${Vs} media=${e} prog=${t} onOpen=${n} />`:o.startsWith("video/")?r`<video
      class="media-video"
      controls
      preload=${s?"metadata":"none"}
      poster=${e.thumbnail?It(e.id):void 0}
      src=${be(e.id)}
      aria-label=${"Video "+(e.name||"")}
      width=${Po(e.width,e.height).width}
    ></video>`:o.startsWith("audio/")?r`<audio class="media-audio" controls preload=${s?"metadata":"none"} src=${be(e.id)} aria-label=${"Audio "+(e.name||"")}></audio>`:r`<${Eo} media=${e} prog=${t} />`}function No({m:e,onClose:t}){let n=b(l=>l.receiptTick||0),o=b(l=>l.groups.get(e.group)),[s,a]=g(null),[i,c]=g("");D(()=>{M("/v1/groups/"+e.group+"/messages/"+e.id+"/receipts").then(l=>a(l.receipts||{})).catch(l=>c(l.message))},[n,e.id,e.group]);let u=o?o.members.filter(l=>!f.me||l.account!==f.me.account):[],p=new Set([...u.map(l=>l.account),...Object.keys(s||{})]);return r`<${P} title="Message info" onClose=${t}>
    <p class="text">${e.media?"📎 "+(e.media.name||"file")+(e.text?" — "+e.text:""):e.text}</p>
    ${i&&r`<p class="error-text">${i}</p>`}
    ${!s&&!i&&r`<p class="muted">Loading…</p>`}
    ${s&&r`<ul class="list receipts">
      ${[...p].map(l=>{let m=s[l]||"";return r`<li key=${l} data-account=${l} data-receipt=${m||"none"}>
          <span class="grow">${W(l)}</span>
          <span class="muted">${m==="read"?"Read":m==="delivered"?"Delivered":"Not yet delivered"}</span>
          <${Jt} state=${m==="read"?"read":m==="delivered"?"delivered":"sent"} />
        </li>`})}
    </ul>`}
  </${P}>`}var Uo=In(function({m:t,sender:n,prog:o,onOpen:s,onInfo:a}){if(t.deleted)return null;let i=t.direction==="out";return r`<div class=${j("msg",i?"out":"in")} data-id=${t.id} data-state=${t.state}>
    <div class="bubble">
      ${n?r`<span class="sender">${n}</span>`:r`<span class="sr-only">${i?"You:":""}</span>`}
      ${t.media&&r`<${Qs} media=${t.media} prog=${o} onOpen=${()=>s(t.media)} />`}
      ${t.text&&r`<span class="text">${t.text}</span>`}
      <span class="meta">
        <time datetime=${t.sent_at}>${Je(t.sent_at)}</time>
        ${i&&(t.group?r`<button type="button" aria-label=${"Message info: "+(Io[t.state]||t.state)} onClick=${()=>a(t)}><${Jt} state=${t.state} /></button>`:r`<${Jt} state=${t.state} />`)}
      </span>
      ${i&&t.state==="pending"&&t.pending&&t.pending.reason&&r`<span class="why">${t.pending.reason}</span>`}
      <${yo} m=${t} />
    </div>
  </div>`});function Oo({u:e,onCancel:t}){return r`<div class="msg out upload" data-upload=${e.name}>
    <div class="bubble">
      ${e.preview&&r`<img src=${e.preview} alt="" />`}
      <div class="file-name">${e.name}</div>
      <div class="file-meta">${e.error?r`<span class="error-text">${e.error}</span>`:"sending "+At(e.loaded,e.size)+"% of "+Z(e.size)}</div>
      ${!e.error&&r`<progress aria-label=${"Sending "+e.name} max=${e.size||1} value=${e.loaded}></progress>`}
      <div class="row"><button type="button" class="btn" onClick=${t}>${e.error?"Dismiss":"Cancel"}</button></div>
    </div>
  </div>`}var Ks=0;function qo({chatKey:e,dropped:t}){let[n,o]=g(""),[s,a]=g([]),[i,c]=g(!1),u=q(null),p=q(null),l=_=>{let w=[..._].map(x=>({id:++Ks,file:x,preview:x.type.startsWith("image/")?URL.createObjectURL(x):""}));w.length&&a(x=>x.concat(w)),u.current&&u.current.focus()},m=_=>a(w=>w.filter(x=>(x.id===_&&x.preview&&URL.revokeObjectURL(x.preview),x.id!==_)));D(()=>{t&&t.length&&l(t)},[t]),D(()=>{u.current&&u.current.focus({preventScroll:!0})},[]),D(()=>{let _=u.current;_&&(_.style.height="auto",_.style.height=_.scrollHeight+2+"px")},[n]);let h=async()=>{let _=n.trim();if(i||!_&&!s.length)return;let w=s;if(o(""),a([]),at(e,!1),w.length){w.forEach((x,C)=>{to(e,x.file,C===0?_:"").finally(()=>x.preview&&URL.revokeObjectURL(x.preview))});return}c(!0);try{await eo(e,_)}catch(x){o(_),k(x)}finally{c(!1),u.current&&u.current.focus()}},d=_=>{_.key==="Enter"&&!_.shiftKey&&!_.isComposing&&(_.preventDefault(),h())},$=_=>{let w=_.clipboardData&&_.clipboardData.files;w&&w.length&&(_.preventDefault(),l(w))};return r`<div class="composer-wrap">
    ${s.length>0&&r`<ul class="staged" aria-label="Files to send">
      ${s.map(_=>r`<li class="staged-item" key=${_.id}>
          ${_.preview?r`<img src=${_.preview} alt="" />`:r`<${y} name="doc" />`}
          <span class="grow">${_.file.name} <span class="muted">${Z(_.file.size)}</span></span>
          <button type="button" class="icon-btn" aria-label=${"Remove "+_.file.name} onClick=${()=>m(_.id)}><${y} name="close" /></button>
        </li>`)}
    </ul>`}
    <form
      class="composer"
      onSubmit=${_=>{_.preventDefault(),h()}}
    >
      <button type="button" class="icon-btn" aria-label="Attach files" onClick=${()=>p.current.click()}><${y} name="attach" /></button>
      <input ref=${p} type="file" multiple hidden aria-hidden="true" tabindex="-1" onChange=${_=>(l(_.target.files),_.target.value="")} />
      <label class="sr-only" for=${"composer-"+e}>${s.length?"Caption":"Message"}</label>
      <textarea
        id=${"composer-"+e}
        ref=${u}
        rows="1"
        placeholder=${s.length?"Add a caption":"Type a message"}
        value=${n}
        onInput=${_=>{o(_.target.value),_.target.value&&at(e,!0)}}
        onKeyDown=${d}
        onPaste=${$}
        aria-describedby="composer-help"
      ></textarea>
      <span id="composer-help" class="sr-only">Enter sends, Shift+Enter starts a new line. Paste or drop files to attach them.</span>
      <button type="submit" class="icon-btn send" aria-label="Send" disabled=${i}><${y} name="send" /></button>
    </form>
  </div>`}var dt=200,Ce=50,Fo=600,Js=(e,t)=>e===t||e.length===t.length&&e.every((n,o)=>n===t[o]);function Xs({chatKey:e}){let t=b(n=>{let o=n.chats.get(e);return o?{loading:o.loading,hasOlder:o.hasOlder,ready:o.ready,empty:!o.msgs.length}:{empty:!0}});return t.loading?r`<p class="older" role="status">Loading older messages…</p>`:t.hasOlder?r`<p class="older"> </p>`:r`<p class="older">${t.ready?t.empty?"No messages yet":"The beginning of this chat":""}</p>`}var Xt=class extends ce{constructor(t){super(t),this.state={msgs:null,start:0,end:0,stick:!0,wantUp:!1},this.scroller=null,this.raf=0,this.olderFrom=0,this.openMedia=n=>t.onOpenMedia(n),this.openInfo=n=>t.onInfo(n),this.onScroll=()=>{this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))},this.setRef=n=>this.scroller=n,this.jump=()=>{let n=this.props.chat.msgs.length;this.setState({start:Math.max(0,n-Ce),end:n,stick:!0})}}static getDerivedStateFromProps(t,n){let o=t.chat.msgs;if(o===n.msgs)return null;let s=o.length;if(!n.msgs||!n.msgs.length||!s)return{msgs:o,start:Math.max(0,s-Ce),end:s,stick:!0,wantUp:!1};let a=n.msgs[0].id,i=0;if(o[0].id!==a&&(i=o.findIndex(l=>l.id===a),i<0))return{msgs:o,start:Math.max(0,s-Ce),end:s,stick:!0,wantUp:!1};let c=n.start+i,u=n.end+i,p=n.end===n.msgs.length;return n.wantUp&&i>0?(c=Math.max(0,c-Ce),u=Math.min(u,c+dt)):p&&n.stick&&(u=s,c=Math.max(c,u-dt)),{msgs:o,start:c,end:u,wantUp:n.wantUp&&i===0}}shouldComponentUpdate(t,n){let o=this.props,s=this.state;return t.chat.msgs!==o.chat.msgs||t.group!==o.group||t.progress!==o.progress||!Js(t.uploads,o.uploads)||n.msgs!==s.msgs||n.start!==s.start||n.end!==s.end||n.stick!==s.stick}getSnapshotBeforeUpdate(){let t=this.scroller;if(!t)return null;if(this.state.stick)return{stick:!0};let n=t.scrollTop;for(let o of t.querySelectorAll(".msg[data-id]"))if(o.offsetTop+o.offsetHeight>n)return{id:o.dataset.id,delta:o.offsetTop-n};return null}componentDidMount(){this.scroller.scrollTop=this.scroller.scrollHeight,this.check()}componentDidUpdate(t,n,o){let s=this.scroller;if(o&&o.stick)s.scrollTop=s.scrollHeight;else if(o&&o.id){let a=s.querySelector('.msg[data-id="'+o.id+'"]');a&&(s.scrollTop=a.offsetTop-o.delta)}this.olderFrom&&n.msgs!==this.state.msgs&&n.msgs&&this.state.msgs[0]!==n.msgs[0]&&(performance.measure("pigeon:older-page",{start:this.olderFrom,end:performance.now()}),this.olderFrom=0),this.raf||(this.raf=requestAnimationFrame(()=>(this.raf=0,this.check())))}componentWillUnmount(){cancelAnimationFrame(this.raf)}check(){let t=this.scroller;if(!t)return;let{chat:n}=this.props,{start:o,end:s}=this.state,a=n.msgs.length,i=t.scrollHeight-t.scrollTop-t.clientHeight,c=i<40&&s===a;if(c!==this.state.stick&&this.setState({stick:c}),t.scrollTop<Fo)if(o>0){let u=Math.max(0,o-Ce);this.setState({start:u,end:Math.min(s,u+dt),stick:!1})}else n.hasOlder&&!n.loading&&!this.state.wantUp&&(this.olderFrom=performance.now(),Xn(n.key).then(u=>{u||(this.olderFrom=0,this.setState({wantUp:!1}))}),this.setState({wantUp:!0}));else if(i<Fo&&s<a){let u=Math.min(a,s+Ce);this.setState({end:u,start:Math.max(o,u-dt)})}}render({chat:t,group:n,progress:o,uploads:s},{start:a,end:i,stick:c}){let u=t.msgs,p=[];a===0&&p.push(r`<${Xs} key="older" chatKey=${t.key} />`);for(let l=a;l<i;l++){let m=u[l],h=l>0?u[l-1]:null,d=Et(m.sent_at),$=!h||Et(h.sent_at)!==d;$&&p.push(r`<div class="day" role="separator" key=${"d"+m.id}>${Le(m.sent_at)}</div>`);let _=n&&m.direction==="in"&&($||h.sender!==m.sender||h.direction!=="in")?m.sender_name||W(m.sender):"",w=m.media?o.get(m.media.id):void 0;p.push(r`<${Uo} key=${m.id} m=${m} sender=${_} prog=${w} onOpen=${this.openMedia} onInfo=${this.openInfo} />`)}if(i===u.length)for(let l of s)p.push(r`<${Oo} key=${"u"+l.uid} u=${l} onCancel=${()=>l.error?no(l.uid):l.abort()} />`);return r`<div
        class="messages"
        ref=${this.setRef}
        onScroll=${this.onScroll}
        tabindex="0"
        aria-label="Messages"
        data-start=${a}
        data-end=${i}
        data-total=${u.length}
      >
        ${p}
      </div>
      ${(!c||i<u.length)&&r`<button type="button" class="btn jump" onClick=${this.jump} aria-label="Jump to the latest message"><${y} name="down" /> Latest</button>`}`}};function Zs({chatKey:e,group:t,info:n}){let o=e.startsWith("g:"),s=e.slice(2),a=b(()=>Y(e)),i=b(m=>o?null:m.presence.get(s)),c=b(m=>m.typing.get(e)),u="",p=!1;if(c&&c.size){p=!0;let m=[...c.keys()].map(W);u=o?m.join(", ")+(m.length>1?" are typing…":" is typing…"):"typing…"}else o?u=t?t.members.map(m=>f.me&&m.account===f.me.account?"You":m.name||W(m.account)).join(", "):"":i&&(u=i.state==="online"?"online":i.last_seen?Xe(i.last_seen):"");let l=(o?"/group/":"/chat/")+s+"/info";return r`<header class="bar">
    <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${U}><${y} name="back" /></a>
    <${Q} name=${a} group=${o} online=${i&&i.state==="online"} />
    <div class="title">
      <button type="button" onClick=${()=>F(n?l.slice(0,-5):l)} aria-label=${(n?"Hide":"Show")+" details of "+a}>
        <h2>${a}</h2>
        <span class=${j("subtitle",p&&"typing")} data-presence=${i?i.state:""}>${u}</span>
      </button>
    </div>
    <a href=${n?l.slice(0,-5):l} class="icon-btn" onClick=${U} aria-label=${o?"Group details":"Contact details"} aria-pressed=${n?"true":"false"}>
      <${y} name="info" />
    </a>
  </header>`}function ea({chat:e}){let[t,n]=g(""),o=q("");return D(()=>{let s=e.msgs[e.msgs.length-1];if(!s||s.id===o.current)return;let a=!o.current;o.current=s.id,!a&&s.direction==="in"&&n((s.sender_name||W(s.sender))+": "+(s.text||(s.media?"a file":"")))},[e.msgs]),r`<div class="sr-only" aria-live="polite">${t}</div>`}function jo({chatKey:e,info:t}){let n=e.startsWith("g:"),o=e.slice(2),s=b(S=>S.chats.get(e)),a=b(S=>n?S.groups.get(o):null),i=b(S=>S.progress),c=b(S=>S.uploads),u=b(S=>n?null:S.identity.get(o)),[p,l]=g(null),[m,h]=g(null),[d,$]=g(!1),[_,w]=g(null),x=Qe(S=>l(S),[]),C=Qe(S=>h(S),[]),A=c.filter(S=>S.key===e),R=!n||!a||a.status==="active"&&(a.settings.post!=="admins"||a.role==="owner"||a.role==="admin"),ae=n&&a&&a.status!=="active"?a.status==="left"?"You left this group.":"You were removed from this group.":R?"":"Only admins can send messages to this group.",Fe=S=>{ae||!S.dataTransfer||![...S.dataTransfer.types].includes("Files")||(S.preventDefault(),$(!0))},ye=S=>{$(!1),!(ae||!S.dataTransfer||!S.dataTransfer.files.length)&&(S.preventDefault(),w([...S.dataTransfer.files]))};return r`<section
    class="conversation"
    aria-label=${"Chat with "+Y(e)}
    data-chat=${e}
    onDragOver=${Fe}
    onDragLeave=${S=>S.currentTarget===S.target&&$(!1)}
    onDrop=${ye}
  >
    <${Zs} chatKey=${e} group=${a} info=${t} />
    ${u&&r`<div class="banner" role="alert">
      <${y} name="shield" />
      <span class="grow">${Y(e)}'s device keys changed (a reinstall, or someone in between). Compare your safety number with them before you trust new messages.</span>
      <a class="btn" href=${"/chat/"+o+"/info"} onClick=${U}>Compare</a>
    </div>`}
    ${s?r`<${Xt} key=${e} chat=${s} group=${n} progress=${i} uploads=${A} onOpenMedia=${x} onInfo=${C} />`:r`<div class="messages"></div>`}
    <${ta} chatKey=${e} />
    <${ea} chat=${s||{msgs:[]}} />
    ${ae?r`<p class="readonly-note">${ae}</p>`:r`<${qo} key=${e} chatKey=${e} dropped=${_} />`}
    ${d&&r`<div class="drop-hint" aria-hidden="true">Drop files to send them</div>`}
    ${p&&r`<${Ao} media=${p} onClose=${()=>l(null)} />`}
    ${m&&r`<${No} m=${m} onClose=${()=>h(null)} />`}
  </section>`}function ta({chatKey:e}){let t=b(o=>o.typing.get(e)),n=t?[...t.keys()].map(W):[];return r`<div class="typing-line" aria-live="polite" data-typing=${n.length?"yes":"no"}>
    ${n.length?e.startsWith("g:")?n.join(", ")+(n.length>1?" are typing…":" is typing…"):n[0]+" is typing…":""}
  </div>`}function $e({onText:e}){let[t,n]=g(!1),[o,s]=g(""),a=q(null),i=async(c,u)=>{try{let p=await An(c);if(p)return n(!1),s(""),e(p),!0}catch(p){u||s(p.message||"No QR code found in that image.")}return!1};return D(()=>{let c=u=>{let p=u.clipboardData&&[...u.clipboardData.files].find(l=>l.type.startsWith("image/"));p&&(u.preventDefault(),i(p))};return document.addEventListener("paste",c),()=>document.removeEventListener("paste",c)},[]),r`<div class="scan">
    <div class="row">
      ${navigator.mediaDevices&&navigator.mediaDevices.getUserMedia&&r`<button type="button" class="btn" aria-pressed=${t?"true":"false"} onClick=${()=>n(!t)}>
        <${y} name="camera" /> ${t?"Stop camera":"Scan with camera"}
      </button>`}
      <button type="button" class="btn" onClick=${()=>a.current.click()}><${y} name="qr" /> QR code from an image</button>
      <input
        ref=${a}
        type="file"
        accept="image/png,image/jpeg"
        hidden
        aria-hidden="true"
        tabindex="-1"
        onChange=${c=>{let u=c.target.files[0];c.target.value="",u&&i(u)}}
      />
    </div>
    <p class="muted">You can also paste a screenshot of a QR code here.</p>
    ${t&&r`<${na} onFrame=${c=>i(c,!0)} onError=${c=>(s(c),n(!1))} />`}
    ${o&&r`<p class="error-text" role="alert">${o}</p>`}
  </div>`}function na({onFrame:e,onError:t}){let n=q(null);return D(()=>{let o=null,s=0,a=!1,i=document.createElement("canvas"),c=()=>{let u=n.current;if(!(a||!u)){if(u.videoWidth){i.width=u.videoWidth,i.height=u.videoHeight,i.getContext("2d").drawImage(u,0,0),i.toBlob(async p=>{p&&!a&&await e(p)&&(a=!0),a||(s=setTimeout(c,600))},"image/jpeg",.85);return}s=setTimeout(c,300)}};return navigator.mediaDevices.getUserMedia({video:{facingMode:"environment"}}).then(u=>{if(o=u,a)return u.getTracks().forEach(p=>p.stop());n.current.srcObject=u,n.current.play(),c()}).catch(()=>t("The camera is not available: allow it in the browser, or use an image of the code.")),()=>{a=!0,clearTimeout(s),o&&o.getTracks().forEach(u=>u.stop())}},[]),r`<div class="camera"><video ref=${n} muted playsinline aria-label="Camera"></video></div>`}function Wo({onClose:e,initial:t}){let[n,o]=g(t||""),[s,a]=g(""),[i,c]=g(""),[u,p]=g(!1),l=oe(),m=Ze(n);D(()=>{m&&m.kind==="account"&&m.name&&!s&&a(m.name)},[n]);let h=async d=>{if(d.preventDefault(),!m){c("That is not an account ID (pg… 60 characters) or a contact link. Ask your contact for the one on their “My account” screen.");return}p(!0),c("");try{if(m.kind==="invite"){let $=await it(m.link);L($.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),F("/group/"+$.group);return}await Gt(m.account,s.trim()),e(),F("/chat/"+m.account)}catch($){c($.message)}finally{p(!1)}};return r`<${P}
    title="Add contact"
    onClose=${e}
    actions=${r`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="add-contact" class="btn primary" disabled=${u}>${m&&m.kind==="invite"?"Join group":"Add"}</button>`}
  >
    <form id="add-contact" onSubmit=${h}>
      <label class="field">
        <span>Account ID or link</span>
        <input ref=${l} type="text" name="account" autocomplete="off" spellcheck="false" value=${n} onInput=${d=>o(d.target.value)} placeholder="pg… or pigeon:pg…" />
      </label>
      ${m&&m.kind==="invite"&&r`<p class="muted">This is a group invite link: adding it joins the group.</p>`}
      ${(!m||m.kind==="account")&&r`<label class="field">
        <span>Name (only you see it)</span>
        <input type="text" name="name" value=${s} onInput=${d=>a(d.target.value)} />
      </label>`}
      ${i&&r`<p class="error-text" role="alert">${i}</p>`}
    </form>
    <${$e} onText=${d=>(o(d),c(""))} />
  </${P}>`}function Ho(){let e=b(s=>s.me),[t,n]=g(localStorage.getItem("pigeon.my-name")||"");if(!e)return null;let o=Fn(e.account,t.trim());return r`<div class="card my-account">
    <h3>My account</h3>
    <p class="muted">Others add you with this ID, this link or by scanning the code.</p>
    <p class="mono" data-account=${e.account}>${e.account}</p>
    <div class="row">
      <button type="button" class="btn" onClick=${async()=>L(await Ue(e.account)?"Account ID copied.":"Copy failed: select the ID and copy it.")}>
        <${y} name="copy" /> Copy ID
      </button>
      <button type="button" class="btn" onClick=${async()=>L(await Ue(o)?"Contact link copied.":"Copy failed.")}>
        <${y} name="link" /> Copy contact link
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
    <img class="qr" src=${he(o)} alt=${"QR code of your contact link "+o} width="220" height="220" />
    <p class="muted">Device ${e.device} · peer ${z(e.peer_id)}</p>
  </div>`}function Bo({onAdd:e}){let n=[...b(o=>o.contacts).values()].sort((o,s)=>(o.name||o.account).localeCompare(s.name||s.account));return r`<section class="pane page" aria-labelledby="contacts-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${U}><${y} name="back" /></a>
      <h2 id="contacts-title">Contacts</h2>
      <button type="button" class="btn primary" onClick=${e}><${y} name="person-add" /> Add contact</button>
    </header>
    <div class="page-body">
      <div class="card">
        <ul class="list">
          ${n.map(o=>r`<li key=${o.account} data-account=${o.account}>
              <${Q} small name=${o.name} />
              <span class="grow">
                <strong>${o.name||z(o.account)}</strong>
                ${o.verified&&r` <span class="verified">✓ verified</span>`}
                ${o.identity_changed_at&&r` <span class="error-text">keys changed</span>`}
                <div class="mono muted">${o.account}</div>
              </span>
              <a class="btn" href=${"/chat/"+o.account} onClick=${U}><${y} name="chat" /> Message</a>
            </li>`)}
          ${!n.length&&r`<li class="muted">No contacts yet. Add one with their account ID, link or QR code.</li>`}
        </ul>
      </div>
      <${Ho} />
    </div>
  </section>`}function Go(){return r`<section class="pane page" aria-labelledby="me-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${U}><${y} name="back" /></a>
      <h2 id="me-title">My account</h2>
    </header>
    <div class="page-body"><${Ho} /></div>
  </section>`}function oa({account:e}){let t=b(d=>d.contacts.get(e)),n=b(d=>d.identity.get(e)),[o,s]=g(""),[a,i]=g(""),[c,u]=g(!1),[p,l]=g(null);D(()=>{M("/v1/contacts/"+X(e)+"/safety-number").then(d=>s(d.safety_number)).catch(d=>i(d.message))},[e,t&&t.identity_changed_at,n]);let m=jn(o).split(" ").filter(Boolean),h=async()=>{try{await ro(e),L("Marked as verified.")}catch(d){k(d)}};return r`<div class="section safety-number">
    <h3>Safety number</h3>
    ${(n||t&&t.identity_changed_at)&&r`<p class="banner" role="alert"><${y} name="shield" /> Their device keys changed${t&&t.verified?" since you verified it":""} (a reinstall, or someone in between). Compare the safety number again before you trust new messages.</p>`}
    ${a&&r`<p class="error-text">${a}</p>`}
    ${o&&r`<div class="safety" aria-label=${"Safety number "+m.join(" ")} data-safety=${o}>${m.map((d,$)=>r`<span key=${$}>${d}</span>`)}</div>
      <img class="qr" src=${he(o)} alt="QR code of the safety number, for the other side to scan" width="220" height="220" />
      <p class="muted">Compare these digits with ${t&&t.name?t.name:"your contact"}'s screen, in person or on a call, or scan each other's code.</p>`}
    ${c&&r`<${$e}
      onText=${d=>{u(!1),l(d.replace(/\s/g,"")===o)}}
    />`}
    ${p===!0&&r`<p class="verified" role="status">The numbers match.</p>`}
    ${p===!1&&r`<p class="error-text" role="alert">The numbers do not match: do not verify.</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${()=>u(!c)}><${y} name="camera" /> ${c?"Stop scanning":"Scan their code"}</button>
      ${t&&t.verified&&!t.identity_changed_at?r`<span class="verified"><${y} name="shield" /> Verified</span>`:r`<button type="button" class="btn primary" onClick=${h} disabled=${!t}>Mark as verified</button>`}
    </div>
  </div>`}var sa=[[-1,"As in Settings"],[0,"Never"],[1<<20,"Up to 1 MB"],[16<<20,"Up to 16 MB"],[100<<20,"Up to 100 MB"],[16*1024*1024*1024,"Always"]];function aa({account:e}){let[t,n]=g(localStorage.getItem("pigeon.auto."+e)||"-1"),o=async s=>{try{await O("/v1/conversations/"+X(e)+"/auto-download",{max_bytes:Number(s)}),localStorage.setItem("pigeon.auto."+e,s),n(s)}catch(a){k(a)}};return r`<label class="field">
    <span>Download files from this chat on arrival</span>
    <select value=${t} onChange=${s=>o(s.target.value)}>
      ${sa.map(([s,a])=>r`<option value=${String(s)}>${a}</option>`)}
    </select>
  </label>`}function zo({account:e}){let t=b(c=>c.contacts.get(e)),n=b(c=>c.presence.get(e)),[o,s]=g(t?t.name:"");D(()=>s(t?t.name:""),[t&&t.name]);let a=async c=>{c.preventDefault();try{await O("/v1/contacts/"+X(e),{name:o.trim()}),await te(),ne(),L("Saved.")}catch(u){k(u)}},i=async()=>{if(confirm("Remove this contact? The chat stays."))try{await G("/v1/contacts/"+X(e)),await te()}catch(c){k(c)}};return r`<aside class="drawer" aria-label="Contact details">
    <header class="bar">
      <a href=${"/chat/"+e} class="icon-btn" onClick=${U} aria-label="Close details"><${y} name="close" /></a>
      <h2>Contact details</h2>
    </header>
    <div class="section">
      ${t?r`<form onSubmit=${a} class="row">
            <label class="field grow"><span>Name</span><input type="text" value=${o} onInput=${c=>s(c.target.value)} /></label>
            <button class="btn" type="submit">Save</button>
          </form>`:r`<p>Not in your contacts.</p>
            <button type="button" class="btn primary" onClick=${()=>Gt(e,"").catch(k)}>Add to contacts</button>`}
      <p class="label">Account ID</p>
      <p class="mono">${e}</p>
      ${n&&r`<p class="muted">${n.state==="online"?"Online":n.state==="offline"?"Offline":"Presence not shared"}</p>`}
    </div>
    <${oa} account=${e} />
    <div class="section">
      <h3>Files</h3>
      <${aa} account=${e} />
    </div>
    ${t&&r`<div class="section"><button type="button" class="btn danger" onClick=${i}><${y} name="trash" /> Remove contact</button></div>`}
  </aside>`}function Yo({chosen:e,onChange:t,exclude:n}){let s=[...b(a=>a.contacts).values()].filter(a=>!n||!n.has(a.account));return s.length?r`<fieldset class="pick">
    <legend class="sr-only">Members</legend>
    ${s.map(a=>r`<label key=${a.account}>
        <input
          type="checkbox"
          checked=${e.has(a.account)}
          onChange=${i=>{let c=new Set(e);i.target.checked?c.add(a.account):c.delete(a.account),t(c)}}
        />
        ${a.name||z(a.account)}
      </label>`)}
  </fieldset>`:r`<p class="muted">No contacts to choose from. Add contacts first, or share an invite link.</p>`}function Vo({onClose:e}){let[t,n]=g(""),[o,s]=g(""),[a,i]=g(new Set),[c,u]=g(""),[p,l]=g(!1),m=oe(),h=async d=>{if(d.preventDefault(),!t.trim()){u("Give the group a name.");return}l(!0);try{let $=await co(t.trim(),o.trim(),[...a]);e(),F("/group/"+$.id)}catch($){u($.message)}finally{l(!1)}};return r`<${P}
    title="New group"
    onClose=${e}
    actions=${r`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="new-group" class="btn primary" disabled=${p}>Create</button>`}
  >
    <form id="new-group" onSubmit=${h}>
      <label class="field"><span>Name</span><input ref=${m} type="text" name="name" value=${t} onInput=${d=>n(d.target.value)} /></label>
      <label class="field"><span>Description (optional)</span><textarea rows="2" name="description" value=${o} onInput=${d=>s(d.target.value)}></textarea></label>
      <p class="label">Members</p>
      <${Yo} chosen=${a} onChange=${i} />
      ${c&&r`<p class="error-text" role="alert">${c}</p>`}
    </form>
  </${P}>`}function Qo({onClose:e}){let[t,n]=g(""),[o,s]=g(""),[a,i]=g(!1),c=oe(),u=async p=>{let l=Ze(p);if(!l||l.kind!=="invite"){s("That is not a group invite link (it starts with pgi). Ask a member for a new one.");return}i(!0),s("");try{let m=await it(l.link);L(m.status==="active"?"You joined the group.":"Admitted: the group appears once its history arrives."),e(),F("/group/"+m.group)}catch(m){s(m.message)}finally{i(!1)}};return r`<${P}
    title="Join a group"
    onClose=${e}
    actions=${r`<button type="button" class="btn" onClick=${e}>Cancel</button>
      <button type="submit" form="join-group" class="btn primary" disabled=${a}>${a?"Asking the group…":"Join"}</button>`}
  >
    <form
      id="join-group"
      onSubmit=${p=>{p.preventDefault(),u(t)}}
    >
      <label class="field"><span>Invite link</span><input ref=${c} type="text" name="link" autocomplete="off" spellcheck="false" value=${t} onInput=${p=>n(p.target.value)} placeholder="pgi…" /></label>
      ${o&&r`<p class="error-text" role="alert">${o}</p>`}
    </form>
    <${$e} onText=${p=>(n(p),u(p))} />
  </${P}>`}var en=(e,t)=>e.role==="owner"||e.role==="admin"||e.settings&&e.settings[t]==="members"&&e.role==="member";function ia({g:e}){let[t,n]=g(""),[o,s]=g("86400"),a=async()=>{try{let c=await I("/v1/groups/"+e.id+"/invites",{ttl_seconds:Number(o)});n(c.link),V(e.id)}catch(c){k(c)}},i=async()=>{try{await I("/v1/groups/invites/revoke",{link:t}),n(""),V(e.id),L("Invite link revoked: nobody can join with it now.")}catch(c){k(c)}};return r`<div class="section invites">
    <h3>Invite link</h3>
    ${t?r`<p class="mono" data-invite=${t}>${t}</p>
          <img class="qr" src=${he(t)} alt="QR code of the invite link" width="220" height="220" />
          <div class="row">
            <button type="button" class="btn" onClick=${async()=>L(await Ue(t)?"Invite link copied.":"Copy failed: select the link and copy it.")}>
              <${y} name="copy" /> Copy
            </button>
            <button type="button" class="btn danger" onClick=${i}>Revoke</button>
          </div>`:r`<div class="row">
          <label class="field grow">
            <span>Valid for</span>
            <select value=${o} onChange=${c=>s(c.target.value)}>
              <option value="3600">1 hour</option>
              <option value="86400">1 day</option>
              <option value="604800">1 week</option>
              <option value="0">Until revoked</option>
            </select>
          </label>
          <button type="button" class="btn primary" onClick=${a}><${y} name="link" /> Create invite link</button>
        </div>`}
    ${e.invites&&e.invites.length>0&&r`<p class="muted">${e.invites.length} invite link${e.invites.length>1?"s":""} open.</p>`}
  </div>`}function ra({g:e}){let t=b(l=>l.contacts),[n,o]=g(!1),[s,a]=g(new Set),i=f.me&&f.me.account,c=e.role==="owner"||e.role==="admin",u=async l=>{try{await l(),await V(e.id)}catch(m){k(m)}},p="/v1/groups/"+e.id+"/members";return r`<div class="section members">
    <h3>${e.members.length} members</h3>
    <ul class="list">
      ${e.members.map(l=>{let m=l.account===i?"You":l.name||(t.get(l.account)||{}).name||z(l.account);return r`<li key=${l.account} data-account=${l.account}>
          <${Q} small name=${m} />
          <span class="grow">${m}</span>
          ${l.role!=="member"&&r`<span class="role">${l.role}</span>`}
          ${c&&l.account!==i&&l.role!=="owner"&&r`<span class="row">
            ${l.role==="member"?r`<button type="button" class="btn" onClick=${()=>u(()=>O(p+"/"+l.account+"/role",{role:"admin"}))} aria-label=${"Make "+m+" an admin"}>Make admin</button>`:e.role==="owner"&&r`<button type="button" class="btn" onClick=${()=>u(()=>O(p+"/"+l.account+"/role",{role:"member"}))} aria-label=${"Make "+m+" a member"}>Dismiss as admin</button>`}
            <button type="button" class="btn danger" onClick=${()=>confirm("Remove "+m+" from the group?")&&u(()=>G(p+"/"+l.account))} aria-label=${"Remove "+m}>
              Remove
            </button>
          </span>`}
        </li>`})}
    </ul>
    ${en(e,"add")&&(n?r`<div>
          <${Yo} chosen=${s} onChange=${a} exclude=${new Set(e.members.map(l=>l.account))} />
          <div class="row">
            <button
              type="button"
              class="btn primary"
              disabled=${!s.size}
              onClick=${()=>u(async()=>{await I(p,{accounts:[...s],role:"member"}),o(!1),a(new Set)})}
            >
              Add ${s.size||""}
            </button>
            <button type="button" class="btn" onClick=${()=>o(!1)}>Cancel</button>
          </div>
        </div>`:r`<button type="button" class="btn" onClick=${()=>o(!0)}><${y} name="person-add" /> Add members</button>`)}
  </div>`}function Zt({g:e,k:t,label:n}){let o=async s=>{try{await Pe("/v1/groups/"+e.id,{settings:{...e.settings,[t]:s}}),await V(e.id)}catch(a){k(a)}};return r`<label class="field">
    <span>${n}</span>
    <select value=${e.settings[t]} onChange=${s=>o(s.target.value)}>
      <option value="members">All members</option>
      <option value="admins">Only admins</option>
    </select>
  </label>`}function ca({g:e}){return r`<div class="section">
    <h3>Permissions</h3>
    <${Zt} g=${e} k="post" label="Who can send messages" />
    <${Zt} g=${e} k="add" label="Who can add members" />
    <${Zt} g=${e} k="edit_info" label="Who can change name and description" />
    <${vo} g=${e} />
  </div>`}function Ko({id:e}){let t=b(l=>l.groups.get(e)),[n,o]=g(null),[s,a]=g(null);if(!t)return r`<aside class="drawer"><p class="hint">Loading the group…</p></aside>`;let i=t.status==="active",c=i&&en(t,"edit_info"),u=async l=>{l.preventDefault();try{await Pe("/v1/groups/"+e,{name:(n??t.name).trim(),description:(s??t.description??"").trim()}),await V(e),await pe(),o(null),a(null),L("Saved.")}catch(m){k(m)}},p=async()=>{if(confirm("Leave "+t.name+"? You will not get its messages any more."))try{await I("/v1/groups/"+e+"/leave"),await V(e)}catch(l){k(l)}};return r`<aside class="drawer" aria-label="Group details" data-group=${e}>
    <header class="bar">
      <a href=${"/group/"+e} class="icon-btn" onClick=${U} aria-label="Close details"><${y} name="close" /></a>
      <h2>Group details</h2>
    </header>
    <div class="section">
      ${c?r`<form onSubmit=${u}>
            <label class="field"><span>Name</span><input type="text" name="name" value=${n??t.name} onInput=${l=>o(l.target.value)} /></label>
            <label class="field"><span>Description</span><textarea rows="3" name="description" value=${s??t.description??""} onInput=${l=>a(l.target.value)}></textarea></label>
            <button type="submit" class="btn" disabled=${n===null&&s===null}>Save</button>
          </form>`:r`<h3>${t.name}</h3>
            <p>${t.description}</p>`}
      <p class="muted">${i?"Your role: "+t.role:t.status==="left"?"You left this group.":"You were removed from this group."}</p>
    </div>
    ${i&&r`<${ra} g=${t} />`}
    ${i&&en(t,"add")&&r`<${ia} g=${t} />`}
    ${i&&(t.role==="owner"||t.role==="admin")&&r`<${ca} g=${t} />`}
    ${i&&r`<div class="section"><button type="button" class="btn danger" onClick=${p}>Leave group</button></div>`}
  </aside>`}function nn(e=localStorage.getItem("pigeon.theme")||"system"){e==="light"||e==="dark"?document.documentElement.dataset.theme=e:delete document.documentElement.dataset.theme}function la(){let[e,t]=g(null),[n,o]=g(""),[s,a]=g(""),i=()=>M("/v1/relays").then(t).catch(k);D(()=>{i();let p=setInterval(i,1e4);return()=>clearInterval(p)},[]);let c=async p=>{p.preventDefault();try{await I("/v1/relays",s.trim()?{addr:n.trim(),invite:s.trim()}:{addr:n.trim()}),o(""),a(""),L("Relay added: the node reserves a slot there now."),i()}catch(l){k(l)}},u=async p=>{if(confirm("Stop using relay "+z(p.peer_id)+"? What its mailbox holds for you is taken first."))try{await G("/v1/relays/"+p.peer_id),i()}catch(l){k(l)}};return r`<div class="card relays">
    <h3>Relays</h3>
    <p class="muted">Relays carry your encrypted messages while you are offline and connect you when you cannot be reached directly. They only see ciphertext.</p>
    <ul class="list">
      ${(e||[]).map(p=>r`<li key=${p.peer_id} data-peer=${p.peer_id}>
          <span class="grow">
            <span class="mono">${p.addr}</span>
            <div class="relay-stats">
              ${p.closing?"closing":p.reserved?"connected":"not connected"}
              ${p.latency_ms?" · "+p.latency_ms.toFixed(1)+" ms":""}
              ${p.region?" · "+p.region:""}
              ${p.mailbox?" · mailbox":""}
              ${p.push&&p.push!=="off"?" · push "+p.push+(p.push_reason?" ("+p.push_reason+")":""):""}
              ${p.last_error?r` · <span class="error-text">${p.last_error}</span>`:""}
            </div>
          </span>
          ${!p.closing&&r`<button type="button" class="btn danger" onClick=${()=>u(p)} aria-label=${"Remove relay "+p.addr}>Remove</button>`}
        </li>`)}
      ${e&&!e.length&&r`<li class="muted">No relays: others reach you only while you are online and reachable.</li>`}
    </ul>
    <form onSubmit=${c}>
      <label class="field"><span>Relay address</span><input type="text" name="relay" value=${n} onInput=${p=>o(p.target.value)} placeholder="/ip4/…/tcp/…/p2p/12D3Koo…" spellcheck="false" /></label>
      <label class="field"><span>Invite token (for invite-only relays)</span><input type="text" value=${s} onInput=${p=>a(p.target.value)} /></label>
      <button type="submit" class="btn" disabled=${!n.trim()}>Add relay</button>
    </form>
  </div>`}function ua(){let[e,t]=g(null),[n,o]=g("unifiedpush"),[s,a]=g(""),[i,c]=g(""),[u,p]=g(""),l=()=>M("/v1/push").then(t).catch(k);D(()=>{l()},[]);let m=async d=>{d.preventDefault();let $={kind:n};n==="unifiedpush"||n==="webhook"?$.url=s.trim():$.token=i.trim(),n==="apns"&&($.topic=u.trim());try{await O("/v1/push",$),L("Push endpoint set; each relay says below whether it will use it."),l()}catch(_){k(_)}},h=async()=>{try{await G("/v1/push"),l()}catch(d){k(d)}};return r`<div class="card push">
    <h3>Push wake-ups</h3>
    <p class="muted">Your relays can wake a phone or a server of yours when something arrives while this device is away. The wake-up carries no content.</p>
    ${e&&r`<p>${e.endpoint?"Now: "+e.described:"No push endpoint."}</p>
      <ul class="list">
        ${e.relays.map(d=>r`<li key=${d.peer_id}><span class="grow mono">${z(d.peer_id)}</span><span>${d.state}${d.reason?": "+d.reason:""}</span></li>`)}
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
      ${n==="unifiedpush"||n==="webhook"?r`<label class="field"><span>URL</span><input type="url" value=${s} onInput=${d=>a(d.target.value)} /></label>`:r`<label class="field"><span>Token</span><input type="text" value=${i} onInput=${d=>c(d.target.value)} /></label>`}
      ${n==="apns"&&r`<label class="field"><span>Topic</span><input type="text" value=${u} onInput=${d=>p(d.target.value)} /></label>`}
      <div class="row">
        <button type="submit" class="btn">Set</button>
        ${e&&e.endpoint&&r`<button type="button" class="btn danger" onClick=${h}>Turn off</button>`}
      </div>
    </form>
  </div>`}function pa(){let[e,t]=g("");D(()=>{M("/v1/presence/privacy").then(o=>t(o.who)).catch(k)},[]);let n=async o=>{try{await O("/v1/presence/privacy",{who:o}),t(o),L("Saved.")}catch(s){k(s)}};return r`<div class="card">
    <h3>Privacy</h3>
    <label class="field">
      <span>Who sees when you are online and when you were last seen</span>
      <select value=${e} onChange=${o=>n(o.target.value)}>
        ${!e&&r`<option value="">Loading…</option>`}
        <option value="everyone">Everyone</option>
        <option value="contacts">My contacts</option>
        <option value="nobody">Nobody</option>
      </select>
    </label>
  </div>`}var tn=[[0,"Never (download when I ask)"],[1<<20,"Files up to 1 MB"],[16<<20,"Files up to 16 MB"],[100<<20,"Files up to 100 MB"],[16*1024*1024*1024,"All files"]];function da(){let e=b(s=>s.autoDownload),t=e?e.max_bytes:null,n=t==null||tn.some(([s])=>s===t)?tn:[...tn,[t,"Files up to "+Z(t)]],o=async s=>{try{await O("/v1/media-settings/auto-download",{max_bytes:Number(s)}),await jt()}catch(a){k(a)}};return r`<div class="card">
    <h3>Automatic downloads</h3>
    <label class="field">
      <span>Download files on arrival</span>
      <select value=${t==null?"":String(t)} onChange=${s=>o(s.target.value)}>
        ${n.map(([s,a])=>r`<option value=${String(s)}>${a}</option>`)}
      </select>
    </label>
    <p class="muted">Each chat can have its own setting in its details.</p>
  </div>`}function fa(){let[e,t]=g(localStorage.getItem("pigeon.theme")||"system"),[n,o]=g(ct()),s=a=>{localStorage.setItem("pigeon.theme",a),t(a),nn(a)};return r`<div class="card">
    <h3>Appearance and notifications</h3>
    <fieldset class="field">
      <legend class="label">Theme</legend>
      <div class="row">
        ${["system","light","dark"].map(a=>r`<label key=${a}><input type="radio" name="theme" value=${a} checked=${e===a} onChange=${()=>s(a)} /> ${a==="system"?"Follow the system":a==="light"?"Light":"Dark"}</label>`)}
      </div>
    </fieldset>
    <p>
      Notifications:
      ${n==="granted"?" on, while this tab is in the background.":n==="denied"?" blocked in this browser’s site settings.":n==="unsupported"?" not supported by this browser.":r` <button type="button" class="btn" onClick=${async()=>o(await lt())}>Turn on</button>`}
    </p>
  </div>`}function ma(){return r`<div class="card">
    <h3>This browser</h3>
    <p class="muted">Signing out ends this browser's session; run <code>pigeon web</code> to sign in again.</p>
    <button type="button" class="btn danger" onClick=${async()=>{try{await I("/v1/web/logout")}catch(t){if(t.status!==401)return k(t)}f.boot="signedout",f.me=null,location.replace("/")}}>Sign out</button>
  </div>`}function Jo(){return r`<section class="pane page" aria-labelledby="settings-title">
    <header class="bar">
      <a href="/" class="icon-btn only-narrow" aria-label="Back to chats" onClick=${U}><${y} name="back" /></a>
      <h2 id="settings-title">Settings</h2>
    </header>
    <div class="page-body">
      <${Co} />
      <${fa} />
      <${pa} />
      <${da} />
      <${la} />
      <${ua} />
      <${ma} />
    </div>
  </section>`}function ha(){let e=f.convs.map(n=>({key:n.key,name:n.name||Y(n.key),group:!!n.group})),t=new Set(e.map(n=>n.key));for(let n of f.contacts.values()){let o=ge(n.account);t.has(o)||e.push({key:o,name:n.name||Y(o),group:!1})}return e}function Xo({onClose:e}){let[t,n]=g(""),[o,s]=g(0),a=oe(),i=t.trim().toLowerCase(),c=ha(),u=(i?c.filter(h=>h.name.toLowerCase().includes(i)):c).slice(0,50),p=Math.min(o,u.length-1),l=h=>{h&&(e(),F(_e(h.key)))},m=h=>{h.key==="ArrowDown"?(h.preventDefault(),s((p+1)%Math.max(1,u.length))):h.key==="ArrowUp"?(h.preventDefault(),s((p-1+u.length)%Math.max(1,u.length))):h.key==="Enter"&&(h.preventDefault(),l(u[p]))};return r`<${P} title="Go to chat" onClose=${e} class="switcher">
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
      ${u.map((h,d)=>r`<li id=${"sw-"+d} key=${h.key} role="option" aria-selected=${d===p?"true":"false"} onClick=${()=>l(h)} data-key=${h.key}>
          <${Q} small name=${h.name} group=${h.group} />
          ${h.name}
        </li>`)}
      ${!u.length&&r`<li class="muted" role="option" aria-disabled="true" aria-selected="false">No chat matches.</li>`}
    </ul>
  </${P}>`}var ga=500,ft=null,Zo="";function ts(){return f.boot="setup",f.setup=null,v(),new Promise(e=>{ft=e,os()})}function ns(){let e=ft;ft=null,e&&e()}async function os(){if(ft){try{f.setup=await M("/v1/setup"),f.setupDown=""}catch(e){f.setupDown=e.message}if(v(),f.setup&&f.setup.state==="ready"){ns();return}setTimeout(os,ga)}}var es=e=>(e||0).toLocaleString("en-US");function _a({failed:e,onLink:t}){let[n,o]=g(!1),[s,a]=g("");return r`<div class="setup-choice">
    <button type="button" class="btn primary create-account" disabled=${n} onClick=${async()=>{o(!0),a("");try{await I("/v1/setup/create"),f.setup={state:"creating"},v()}catch(c){a(c.message)}o(!1)}}>Create a new account</button>
    <button type="button" class="btn link-account" disabled=${n} onClick=${t}>Link to an account I already have</button>
    ${(s||e)&&r`<p class="error-text setup-error" role="alert">${s||e.error}</p>`}
  </div>`}function $a({failed:e,onBack:t}){let[n,o]=g(""),[s,a]=g(Zo),[i,c]=g(!1),[u,p]=g(""),l=async h=>{h.preventDefault(),c(!0),p("");try{await I("/v1/setup/link",{code:n.trim(),name:s.trim()}),f.setup={state:"linking"},v()}catch(d){p(d.message)}c(!1)},m=u||e&&e.error;return r`<form class="setup-link" onSubmit=${l}>
    <p>On the device that has your account, open Settings › Devices › <strong>Link a device</strong> (or run <code>pigeon devices link</code>), then paste its code here.</p>
    <label class="field">
      <span>Link code</span>
      <textarea class="mono link-code link-code-input" rows="4" spellcheck="false" placeholder="pigeon-link:…" value=${n} onInput=${h=>o(h.target.value)}></textarea>
    </label>
    <${$e} onText=${o} />
    <label class="field">
      <span>Name of this device (optional)</span>
      <input type="text" class="device-name-input" maxlength="64" placeholder="this computer's name" value=${s} onInput=${h=>a(Zo=h.target.value)} />
    </label>
    ${m&&r`<p class="error-text setup-error" role="alert" data-code=${u?"":e.code}>${m}</p>`}
    <div class="row">
      <button type="button" class="btn" onClick=${t}>Back</button>
      <button type="submit" class="btn primary" disabled=${i||!n.trim()}>Link this device</button>
    </div>
  </form>`}function ss(){let e=b(a=>a.setup),t=b(a=>a.setupDown),[n,o]=g(""),s;if(!e)s=r`<p class="muted">Asking the daemon…</p>`;else if(e.state==="creating")s=r`<p role="status">Creating your account…</p>`;else if(e.state==="linking")s=e.sas?r`<p>Check that your other device shows this code, and confirm there:</p>
          <p class="sas" aria-label=${"Confirmation code "+e.sas} data-sas=${e.sas}>${e.sas.slice(0,3)} ${e.sas.slice(3)}</p>
          <p class="muted">If it shows other digits, cancel there: someone else has your link code.</p>`:r`<p role="status">Asking your other device…</p>`;else if(e.state==="syncing"||e.state==="ready"){let a=e.history||{};s=r`<p>This device is linked to your account.</p>
      <p class="setup-history" role="status">${a.error?"Getting your history stopped ("+a.error+"); it goes on when the devices meet again.":"Getting your history: "+es(a.done)+" of "+es(a.total)}</p>
      <progress max=${a.total||1} value=${a.done||0}></progress>
      <button type="button" class="btn open-app" onClick=${ns}>Open Pigeon now</button>`}else n==="link"||n===""&&e.error&&e.error.code!=="internal"?s=r`<${$a} failed=${e.error} onBack=${()=>o("choice")} />`:s=r`<p>This device has no Pigeon account yet.</p><${_a} failed=${e.error} onLink=${()=>o("link")} />`;return r`<main class="signin setup" aria-labelledby="setup-title" data-state=${e?e.state:""}>
    <h1 id="setup-title">Set up Pigeon</h1>
    ${s}
    ${t&&r`<p class="error-text" role="alert">${t}</p>`}
  </main>`}function ya(){return r`<main class="signin" aria-labelledby="signin-title">
    <h1 id="signin-title">Sign in to Pigeon</h1>
    <p>This browser is not signed in to your Pigeon node (or its session ended).</p>
    <p>In a terminal on this computer, run <code>pigeon web</code>: it prints a one-time login link and opens it in your browser.</p>
    <p class="muted">The link works once, for 10 minutes. The session then lasts 30 days from its last use.</p>
  </main>`}function va(){let e=b(t=>t.toasts);return r`<div class="toasts" role="status" aria-live="polite">
    ${e.map(t=>r`<div key=${t.id} class=${"toast "+t.kind} role=${t.kind==="error"?"alert":void 0}>
        <span class="grow">${t.text}</span>
        <button type="button" aria-label="Dismiss" onClick=${()=>Ft(t.id)}><${y} name="close" /></button>
      </div>`)}
  </div>`}function ba(){return r`<main class="pane empty-pane" id="main">
    <div class="card">
      <h2>Pigeon</h2>
      <p>Pick a chat on the left, or press <kbd>Ctrl</kbd>+<kbd>K</kbd> to jump to one.</p>
      <p class="muted">Messages are end-to-end encrypted and stored on your own node.</p>
    </div>
  </main>`}function wa(){let e=b(c=>c.boot),t=b(c=>c.storageFull),n=uo(),[o,s]=g("");if(D(()=>{n.name==="chat"?Wt(n.key):Jn()},[n.name,n.key,e]),D(()=>{let c=u=>{(u.ctrlKey||u.metaKey)&&!u.altKey&&u.key.toLowerCase()==="k"&&(u.preventDefault(),s("switcher"))};return document.addEventListener("keydown",c),()=>document.removeEventListener("keydown",c)},[]),e==="signedout")return r`<${ya} />`;if(e==="setup")return r`<${ss} />`;if(e==="error")return r`<main class="signin"><h1>Pigeon</h1><p class="error-text">${f.bootError}</p></main>`;let a=()=>s(""),i;if(n.name==="chat"){let c=r`<${jo} key=${n.key} chatKey=${n.key} info=${n.info} />`,u=n.info&&(n.key.startsWith("g:")?r`<${Ko} id=${n.key.slice(2)} />`:r`<${zo} account=${n.key.slice(2)} />`);i=r`<main class="pane" id="main">${u?r`<div class="with-drawer">${c}${u}</div>`:c}</main>`}else n.name==="contacts"?i=r`<${Bo} onAdd=${()=>s("contact")} />`:n.name==="me"?i=r`<${Go} />`:n.name==="settings"?i=r`<${Jo} />`:i=r`<${ba} />`;return r`<div class=${"app"+(n.name!=="home"?" chat-open":"")} data-boot=${e}>
    <a class="skip" href="#main">Skip to conversation</a>
    <${To}
      current=${n.key}
      onNewGroup=${()=>s("group")}
      onAddContact=${()=>s("contact")}
      onJoin=${()=>s("join")}
    />
    ${t&&r`<div class="banner" role="alert">The disk is nearly full: free some space to receive messages and files again.</div>`}
    ${i}
    ${o==="switcher"&&r`<${Xo} onClose=${a} />`}
    ${o==="group"&&r`<${Vo} onClose=${a} />`}
    ${o==="contact"&&r`<${Wo} onClose=${a} />`}
    ${o==="join"&&r`<${Qo} onClose=${a} />`}
    <${So} />
    <${va} />
  </div>`}function ka(){let e=b(t=>t.conn);return D(()=>{document.body.dataset.conn=e},[e]),r`<${wa} />`}function xa(){return new Promise(e=>document.hidden?e():requestAnimationFrame(()=>setTimeout(e)))}async function Ca(){Pn(()=>{f.boot="signedout",v()});let e=M("/v1/info");e.catch(()=>{}),await xa();let t=document.getElementById("app");t.textContent="",t.className="",wt(r`<${ka} />`,t);try{f.me=await e.catch(async n=>{if(n.code!=="not_set_up")throw n;return await ts(),f.boot="loading",M("/v1/info")})}catch(n){n.status!==401&&(f.boot="error",f.bootError=n.message),v();return}v(),pt(),document.addEventListener("visibilitychange",()=>{Zn(document.visibilityState==="visible"),document.hidden||Kt()}),window.addEventListener("online",Kt),Yn(mo)}nn();Ca();
